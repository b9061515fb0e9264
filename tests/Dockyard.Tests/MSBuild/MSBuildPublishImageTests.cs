using Dockyard.Tests.Infrastructure;
using Xunit;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// The packed Dockyard.MSBuild package from the local feed, in a project the test writes, with the real SDK:
/// <c>dotnet publish -p:PublishImage=true</c> pushes to an htpasswd registry (credentials from a docker config),
/// an unchanged re-publish uploads 0 bytes, a one-line change uploads only the app layer, the config and the manifest, no log (-v:diag, -bl) holds the password; -t:CiList and -t:CiJob run.
/// </summary>
public sealed class MSBuildPublishImageTests
{
    [Fact]
    public async Task Publish_without_Dockerfile_pushes_then_an_unchanged_republish_uploads_nothing_and_no_log_holds_the_password()
    {
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuth.Basic });
        await TestImages.PushWithSkopeoAsync(TestImages.Create(), registry, "base/runtime:1");
        await PackageFeed.EnsurePackedAsync("src/Dockyard.MSBuild/Dockyard.MSBuild.csproj");
        using var temp = new TempDirectory("msbuild-publish");
        var project = temp.Combine("app");
        Directory.CreateDirectory(project);
        PackageFeed.WriteNuGetConfig(project);
        File.WriteAllText(Path.Combine(project, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ContainerRegistry>{registry.Host}</ContainerRegistry>
                <ContainerRepository>msbuild/app</ContainerRepository>
                <ContainerImageTags>1.0;latest</ContainerImageTags>
                <ContainerBaseImage>{registry.Host}/base/runtime:1</ContainerBaseImage>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dockyard.MSBuild" Version="{PackageFeed.PackageVersion}" PrivateAssets="all" />
                <ContainerEnvironmentVariable Include="GREETING" Value="hello" />
              </ItemGroup>
              <Target Name="ShowImage" AfterTargets="DockyardPublishImage">
                <Message Importance="high" Text="later target sees @(GeneratedImageReference->'%(Identity)@%(Digest)', ' ') tags @(GeneratedImageTags, ',')" />
              </Target>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"hi\");\n");
        File.WriteAllText(Path.Combine(project, ".gitlab-ci.yml"), "say:\n  script:\n    - echo said-$GREETING\n");
        var dockerConfig = temp.Combine("docker");
        Directory.CreateDirectory(dockerConfig);
        File.Copy(registry.AuthFile, Path.Combine(dockerConfig, "config.json"));
        Directory.CreateDirectory(temp.Combine("home"));
        var environment = new Dictionary<string, string>
        {
            ["DOCKER_CONFIG"] = dockerConfig, ["DOCKYARD_CACHE"] = temp.Combine("cache"), ["HOME"] = temp.Combine("home"),
            ["NUGET_PACKAGES"] = temp.Combine("nuget"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDDISABLENODEREUSE"] = "1",
        };

        var first = await DotnetAsync(project, environment, "publish", "-c", "Release", "-p:PublishImage=true", "-v:diag", $"-bl:{temp.Combine("first.binlog")}");
        Assert.True(first.ExitCode == 0, first.StandardOutput + first.StandardError);
        var inspect = await Skopeo.InspectAsync(registry, "msbuild/app:1.0");
        var digest = inspect.GetProperty("Digest").GetString();
        Assert.Equal(digest, (await Skopeo.InspectAsync(registry, "msbuild/app:latest")).GetProperty("Digest").GetString());
        Assert.Contains("GREETING=hello", inspect.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains(digest!, first.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password!, first.StandardOutput + first.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Password!, System.Text.Encoding.UTF8.GetString(await File.ReadAllBytesAsync(temp.Combine("first.binlog"))), StringComparison.Ordinal);

        var seen = $"later target sees {registry.Host}/msbuild/app:1.0@{digest} {registry.Host}/msbuild/app:latest@{digest} tags 1.0,latest";
        Assert.Contains(seen, first.StandardOutput, StringComparison.Ordinal);

        // Nothing changed: MSBuild's up-to-date check skips the image step, and later targets still get its outputs.
        var again = await DotnetAsync(project, environment, "publish", "-c", "Release", "-p:PublishImage=true");
        Assert.True(again.ExitCode == 0, again.StandardOutput + again.StandardError);
        Assert.Contains($"{digest} (up to date: nothing it reads changed", again.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(seen, again.StandardOutput, StringComparison.Ordinal);
        // Asked to build anyway, the push itself is incremental: nothing is uploaded.
        var forced = await DotnetAsync(project, environment, "publish", "-c", "Release", "-p:PublishImage=true", "-p:DockyardIncremental=false");
        Assert.True(forced.ExitCode == 0, forced.StandardOutput + forced.StandardError);
        Assert.Contains($"{digest} (0 bytes uploaded)", forced.StandardOutput, StringComparison.Ordinal);

        // A fresh runner (empty Dockyard cache) with a cache repository: the layers come from what the tags hold, none is
        // compressed or uploaded, and the cache repository records them.
        var fresh = new Dictionary<string, string>(environment) { ["DOCKYARD_CACHE"] = temp.Combine("fresh-cache") };
        var runner = await DotnetAsync(project, fresh, "publish", "-c", "Release", "-p:PublishImage=true", "-v:n", $"-p:DockyardCacheRepository={registry.Host}/msbuild/cache");
        Assert.True(runner.ExitCode == 0, runner.StandardOutput + runner.StandardError);
        Assert.Matches(@"layer cache: [1-9]\d* layer\(s\) found in the registry", runner.StandardOutput);
        Assert.Contains($"{digest} (0 bytes uploaded)", runner.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["dockyard-layer-cache"], await Skopeo.ListTagsAsync(registry, "msbuild/cache"));

        // A one-line change: only the app's own layer, the config and the manifest are new, and only those bytes are uploaded.
        File.WriteAllText(Path.Combine(project, "Program.cs"), "System.Console.WriteLine(\"hi again\");\n");
        var changed = await DotnetAsync(project, environment, "publish", "-c", "Release", "-p:PublishImage=true");
        Assert.True(changed.ExitCode == 0, changed.StandardOutput + changed.StandardError);
        var before = System.Text.Json.JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, "msbuild/app@" + digest)).RootElement;
        var afterBytes = await Skopeo.RawManifestAsync(registry, "msbuild/app:1.0");
        var after = System.Text.Json.JsonDocument.Parse(afterBytes).RootElement;
        var oldLayers = before.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()).ToList();
        var newLayers = after.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(oldLayers.Count, newLayers.Count);
        Assert.Equal(oldLayers[..^1], newLayers[..^1].Select(l => l.GetProperty("digest").GetString()));
        Assert.NotEqual(oldLayers[^1], newLayers[^1].GetProperty("digest").GetString());
        var appLayerAndConfig = newLayers[^1].GetProperty("size").GetInt64() + after.GetProperty("config").GetProperty("size").GetInt64()
            + 2 * afterBytes.Length; // the manifest is put once per tag (1.0, latest)
        var uploaded = System.Text.RegularExpressions.Regex.Match(changed.StandardOutput, @"sha256:[0-9a-f]{64} \((\d+) bytes uploaded\)");
        Assert.True(uploaded.Success, changed.StandardOutput);
        Assert.Equal(appLayerAndConfig, long.Parse(uploaded.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        var list = await DotnetAsync(project, environment, "build", "-t:CiList");
        Assert.True(list.ExitCode == 0, list.StandardOutput + list.StandardError);
        Assert.Matches(@"say\s+test\s+on_success", list.StandardOutput);
        var job = await DotnetAsync(project, environment, "build", "-t:CiJob", "-p:CiJob=say", "-p:CiExecutor=shell");
        Assert.True(job.ExitCode == 0, job.StandardOutput + job.StandardError);
        Assert.Contains("[say] said-", job.StandardOutput, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(project, ".gitlab-ci.yml"), "say:\n  script: [echo\n");
        var broken = await DotnetAsync(project, environment, "build", "-t:CiList");
        Assert.NotEqual(0, broken.ExitCode);
        Assert.Matches(@"\.gitlab-ci\.yml\(\d+,\d+\): error DY1\d{3}:", broken.StandardOutput);
    }

    private static Task<ProcessResult> DotnetAsync(string project, Dictionary<string, string> environment, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [.. arguments, "-nologo"], timeout: TimeSpan.FromMinutes(8), environment: environment, workingDirectory: project);
}
