using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;

namespace Dockyard.Tests.Cake;

/// <summary>
/// <c>DockyardPublishImage</c> in the real <c>dotnet cake</c>: the project's own <c>dotnet publish -p:PublishImage=true</c>
/// (Dockyard.MSBuild from the run's feed, the real SDK) pushes to an htpasswd registry with the script's login; a project
/// without Dockyard.MSBuild is refused with a message that says what to add.
/// </summary>
public sealed class CakePublishImageTests(BasicRegistryFixture registry) : IClassFixture<BasicRegistryFixture>
{
    [Fact]
    public async Task Publish_image_pushes_the_projects_image_with_the_scripts_login_and_a_project_without_the_package_is_refused()
    {
        await PackageFeed.EnsurePackedAsync("src/Dockyard.MSBuild/Dockyard.MSBuild.csproj");
        var server = registry.Server;
        using var dir = new TempDirectory("cake-publish");
        dir.WriteFile("base/Dockerfile", "FROM scratch\nCOPY motd /etc/motd\n");
        dir.WriteFile("base/motd", "base of the published app\n");
        dir.WriteFile("app/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ContainerRepository>cake/published</ContainerRepository>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dockyard.MSBuild" Version="{PackageFeed.PackageVersion}" />
                <ContainerEnvironmentVariable Include="PUBLISHED_BY" Value="cake" />
              </ItemGroup>
            </Project>
            """);
        dir.WriteFile("app/Program.cs", "System.Console.WriteLine(\"hello from the published app\");\n");
        dir.WriteFile("plain/Plain.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var server = EnvironmentVariable("REGISTRY");
            DockyardLogin(EnvironmentVariable("REGISTRY_USER"), EnvironmentVariable("REGISTRY_PASSWORD"), server);
            DockyardBuild(new DockyardBuildSettings().WithTag(server + "/cake/base:1").WithPush(), "base");
            var image = DockyardPublishImage("app/App.csproj", new DockyardPublishSettings().WithRegistry(server).WithTag("7")
                .WithProperty("ContainerBaseImage", server + "/cake/base:1"));
            Information("published " + image.Digest + " as " + string.Join(",", image.References));
            try { DockyardPublishImage("plain/Plain.csproj"); }
            catch (Exception e) { Information("refused: " + e.Message); }
            """;
        var variables = new Dictionary<string, string>
        {
            ["REGISTRY"] = server.Host, ["REGISTRY_USER"] = server.Username!, ["REGISTRY_PASSWORD"] = server.Password!,
            ["DOCKYARD_CACHE"] = dir.Combine("cache"), ["NUGET_PACKAGES"] = dir.Combine("nuget"), ["MSBUILDDISABLENODEREUSE"] = "1",
        };

        var result = await CakeScriptRunner.RunAsync(dir, script, variables, "--verbosity=diagnostic");

        var output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0, output);
        var pushed = await Skopeo.InspectAsync(server, "cake/published:7");
        var line = output.Split('\n').FirstOrDefault(l => l.Contains("published sha256:", StringComparison.Ordinal)) ?? output;
        Assert.True(line.Contains($"published {pushed.GetProperty("Digest").GetString()} as {server.Host}/cake/published:7", StringComparison.Ordinal), line);
        Assert.Contains("PUBLISHED_BY=cake", pushed.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("refused: ", output);
        Assert.Contains("does not reference Dockyard.MSBuild", output);
        Assert.DoesNotContain(server.Password!, output);
        Assert.DoesNotContain(ProcessRunner.CommandLines, c => c.Contains(server.Password!, StringComparison.Ordinal));
    }
}
