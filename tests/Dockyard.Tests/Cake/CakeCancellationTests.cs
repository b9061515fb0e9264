using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;

namespace Dockyard.Tests.Cake;

/// <summary>
/// A signal during an alias call, in the real <c>dotnet cake</c>: the push waits on a registry that stalls its first
/// blob upload; SIGTERM (to <c>dotnet tool run</c>, which forwards it) or SIGINT (to the Cake process, as a terminal's
/// Ctrl+C reaches it) cancels the use case through its token and fails the run with a clear message, and no tag exists.
/// </summary>
public sealed class CakeCancellationTests(AnonymousRegistryFixture registry) : IClassFixture<AnonymousRegistryFixture>
{
    [Theory]
    [InlineData("TERM", false)]
    [InlineData("INT", true)]
    public async Task A_signal_during_a_push_cancels_it_and_fails_the_run_saying_so(string signal, bool toCakeProcess)
    {
        using var uploadReached = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        await using var proxy = await FaultInjectingProxy.StartAsync(registry.Server, (request, _) =>
        {
            if (request.Method != "POST" || !request.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal)) return null;
            uploadReached.Release();
            release.Wait(TimeSpan.FromMinutes(3));
            return new Fault.Reset();
        });
        using var dir = new TempDirectory("cake-cancel");
        dir.WriteFile("app/hello.txt", $"hello {signal}\n");
        dir.WriteFile("app/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\n");
        var repository = $"cake/cancel-{signal.ToLowerInvariant()}";
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            DockyardBuild(new DockyardBuildSettings().WithTag(EnvironmentVariable("IMAGE")).WithPush(), "app");
            Information("not reached");
            """;

        using var cake = await CakeScriptRunner.StartAsync(dir, script, new Dictionary<string, string> { ["IMAGE"] = $"{proxy.Host}/{repository}:1" });
        try
        {
            Assert.True(await uploadReached.WaitAsync(TimeSpan.FromMinutes(4)), "the push never reached the registry");
            var target = toCakeProcess ? cake.CakeProcessId() : cake.Process.Id;
            (await ProcessRunner.RunAsync("kill", [$"-{signal}", target.ToString(System.Globalization.CultureInfo.InvariantCulture)])).EnsureSuccess("kill");
            var result = await cake.WaitAsync(TimeSpan.FromMinutes(2));

            var output = result.StandardOutput + result.StandardError;
            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode} (1 = Cake failed the run; 128+n = the signal killed it)\n{output}");
            Assert.Contains($"Dockyard: cancelled by SIG{signal}; the running operation stopped before it finished", output);
            Assert.DoesNotContain("not reached", output);
            Assert.DoesNotContain("   at ", output);
        }
        finally
        {
            release.Set();
        }
        var tag = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", .. registry.Server.SkopeoArguments(), $"docker://{registry.Server.Host}/{repository}:1"]);
        Assert.True(tag.ExitCode != 0, "the cancelled push left a tag: " + tag.StandardOutput);
    }
}
