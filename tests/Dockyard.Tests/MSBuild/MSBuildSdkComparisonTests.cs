using System.Text.Json.Nodes;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// One project, no Dockerfile, the same base: the SDK's own <c>-t:PublishContainer</c> image and Dockyard's
/// <c>-p:PublishImage=true</c> image agree on entrypoint, working directory, user, environment, ports and labels, except
/// where docs/msbuild.md says why (no creation-time labels: Dockyard's images are reproducible;
/// WorkingDir without the SDK's trailing slash).
/// </summary>
public sealed class MSBuildSdkComparisonTests
{
    [Fact]
    public async Task PublishImage_config_matches_the_SDKs_PublishContainer_config_of_the_same_project()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var project = await SdkTestProject.CreateAsync("msbuild-vs-sdk",
            $"""
            <ContainerBaseImage>{registry.Host}/cmp/base:1</ContainerBaseImage>
            <ContainerRegistry>{registry.Host}</ContainerRegistry>
            <ContainerImageTag>1</ContainerImageTag>
            <Version>2.3.4</Version>
            """,
            """
            <ContainerEnvironmentVariable Include="GREETING" Value="hello" />
            <ContainerLabel Include="org.example.team" Value="shop" />
            <ContainerPort Include="5000" Type="tcp" />
            """);
        project.Environment["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Host;
        var baseContext = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(project.Directory)!, "base")).FullName;
        File.WriteAllText(Path.Combine(baseContext, "Dockerfile"), "FROM scratch\nCOPY motd /etc/motd\nENV APP_UID=1654\n");
        File.WriteAllText(Path.Combine(baseContext, "motd"), "the shared base\n");
        (await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, "build", "--push", "-t", $"{registry.Host}/cmp/base:1", baseContext],
            timeout: TimeSpan.FromMinutes(3), environment: project.Environment)).EnsureSuccess("dockyard build of the base");

        var sdk = await project.DotnetAsync("publish", "-c", "Release", "-t:PublishContainer", "-p:ContainerRepository=cmp/sdk");
        Assert.True(sdk.ExitCode == 0, sdk.StandardOutput + sdk.StandardError);
        var dockyard = await project.DotnetAsync("publish", "-c", "Release", "-p:PublishImage=true", "-p:ContainerRepository=cmp/dockyard");
        Assert.True(dockyard.ExitCode == 0, dockyard.StandardOutput + dockyard.StandardError);

        var expected = (await Skopeo.InspectConfigAsync($"docker://{registry.Host}/cmp/sdk:1", "--tls-verify=false"))["config"]!;
        var actual = (await Skopeo.InspectConfigAsync($"docker://{registry.Host}/cmp/dockyard:1", "--tls-verify=false"))["config"]!;
        // WorkingDir: the SDK writes "/app/", Dockyard "/app" (WORKDIR cleaned as BuildKit does; the same directory).
        Assert.Equal(expected["WorkingDir"]!.GetValue<string>().TrimEnd('/'), actual["WorkingDir"]!.GetValue<string>());
        foreach (var field in new[] { "Entrypoint", "Cmd", "User" })
            Assert.True(JsonNode.DeepEquals(expected[field], actual[field]), $"{field}: SDK {expected[field]?.ToJsonString()} vs Dockyard {actual[field]?.ToJsonString()}");
        Assert.Equal(Set(expected["Env"]), Set(actual["Env"]));
        Assert.Equal(Keys(expected["ExposedPorts"]), Keys(actual["ExposedPorts"]));
        // Not written by Dockyard (docs/msbuild.md): the two creation times (reproducibility). The base's digest is, and equals the SDK's.
        string[] notWritten = ["org.opencontainers.image.created", "org.opencontainers.artifact.created"];
        var sdkLabels = Keys(expected["Labels"]).Except(notWritten).ToList();
        Assert.Contains("net.dot.sdk.version", sdkLabels);
        Assert.True(sdkLabels.SequenceEqual(Keys(actual["Labels"])), $"SDK {expected["Labels"]?.ToJsonString()} vs Dockyard {actual["Labels"]?.ToJsonString()}");
        foreach (var label in sdkLabels)
            Assert.Equal(expected["Labels"]![label]!.GetValue<string>(), actual["Labels"]![label]!.GetValue<string>());
    }

    private static List<string> Set(JsonNode? array) => array is JsonArray a ? a.Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal).ToList() : [];

    private static List<string> Keys(JsonNode? map) => map is JsonObject o ? o.Select(p => p.Key).Order(StringComparer.Ordinal).ToList() : [];
}
