using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;

namespace Dockyard.Tests.Cake;

/// <summary>The packed addin in the real <c>dotnet cake</c> against a real htpasswd registry: login, build and push, copy, explain.</summary>
public sealed class CakeImageTests(BasicRegistryFixture registry) : IClassFixture<BasicRegistryFixture>
{
    [Fact]
    public async Task Login_build_push_and_copy_reach_the_registry_and_the_password_is_never_logged()
    {
        var server = registry.Server;
        using var dir = new TempDirectory("cake-image");
        dir.WriteFile("app/hello.txt", "hello from cake\n");
        dir.WriteFile("app/Dockerfile", "FROM scratch AS assets\nCOPY hello.txt /hello.txt\nFROM scratch\nCOPY --from=assets /hello.txt /app/hello.txt\nCMD [\"/app/hello.txt\"]\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var server = EnvironmentVariable("REGISTRY");
            DockyardLogin(EnvironmentVariable("REGISTRY_USER"), EnvironmentVariable("REGISTRY_PASSWORD"), server);
            var built = DockyardBuild(new DockyardBuildSettings().WithTag(server + "/cake/app:1").WithLabel("org.example.by", "cake").WithPull().WithNoCache().WithPush()
                .WithCacheFrom(server + "/cake/cache:layers").WithCacheTo(server + "/cake/cache:layers"), "app");
            Information("built " + built.Digest + " with " + built.Backend);
            var copied = DockyardCopyImage(server + "/cake/app:1", server + "/cake/release:1");
            Information("copied " + copied.Digest);
            var why = DockyardExplainCredentials(server, push: true);
            Information("explained user " + why.Credential?.Username + " failed " + why.Failed);
            Information("gitlab registry " + GitLabRegistry.Registry + " image " + GitLabRegistry.Image + " token " + GitLabRegistry.HasJobToken);
            """;
        var variables = new Dictionary<string, string> { ["REGISTRY"] = server.Host, ["REGISTRY_USER"] = server.Username!, ["REGISTRY_PASSWORD"] = server.Password!,
            ["CI_REGISTRY"] = server.Host, ["CI_REGISTRY_IMAGE"] = server.Host + "/cake/app", ["CI_JOB_TOKEN"] = "" };

        var result = await CakeScriptRunner.RunAsync(dir, script, variables, "--verbosity=diagnostic");

        var output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0, output);
        var pushed = await Skopeo.InspectAsync(server, "cake/app:1");
        var copy = await Skopeo.InspectAsync(server, "cake/release:1");
        Assert.Equal(pushed.GetProperty("Digest").GetString(), copy.GetProperty("Digest").GetString());
        Assert.Contains("copied " + copy.GetProperty("Digest").GetString(), output);
        Assert.Contains($"explained user {server.Username} failed False", output);
        Assert.Contains($"gitlab registry {server.Host} image {server.Host}/cake/app token False", output);
        Assert.Contains("Dockyard: Pull accepted", output);
        Assert.Contains("Dockyard: NoCache accepted", output);
        Assert.Equal(["layers"], await Skopeo.ListTagsAsync(server, "cake/cache"));
        Assert.Contains($"layer cache: wrote {server.Host}/cake/cache:layers (2 layer(s)", output);
        Assert.DoesNotContain(server.Password!, output);
        Assert.DoesNotContain(ProcessRunner.CommandLines, c => c.Contains(server.Password!, StringComparison.Ordinal));
    }
}
