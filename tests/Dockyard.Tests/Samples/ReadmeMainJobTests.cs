using System.Net.Http;
using System.Text.Json;
using Dockyard.Images.Stores;
using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Samples;

/// <summary>
/// The README's main command, as written there, on a copy of <c>samples/webapp</c>: the sample's Docker-in-Docker
/// <c>build-image</c> job runs with no registry, no daemon and no network (mcr.microsoft.com does not resolve here),
/// the <c>RUN dotnet publish</c> stage by the machine's SDK, the ASP.NET base made from the machine's runtime, and the
/// image lands in the local store; loaded into the tests' dockerd it runs as the app user and answers HTTP.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class ReadmeMainJobTests(DockerDaemon daemon) : IDisposable
{
    private readonly HostileCli _cli = new() { Watchdog = TimeSpan.FromMinutes(10) };
    private readonly TempDirectory _root = new("mainjob");

    [Fact]
    public async Task The_readme_main_command_builds_the_sample_image_offline_and_the_image_serves_http()
    {
        var arguments = ReadmeMainCommand();
        var sample = CopySample();
        var lint = await _cli.RunAsync(["ci", "lint", "--cwd", sample]);
        Assert.True(lint.ExitCode == 0, lint.ToString());
        _cli.Environment["DOCKYARD_CACHE"] = _root.Combine("cache");
        _cli.Environment["DOCKER_HOST"] = "unix://" + _root.Combine("no-daemon.sock");
        _cli.Environment["CONTAINERS_REGISTRIES_CONF"] = _root.WriteFile("registries.conf", "");
        var run = await _cli.RunAsync(arguments.Select(a => a == "samples/webapp" ? sample : a));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("made it from this machine's .NET", run.StandardError);
        Assert.Contains("stored in the local image store", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
        Assert.Single(run.StandardError.Split('\n'), l => l.Contains("DY2501", StringComparison.Ordinal)); // said once, not per planning pass

        var store = new LocalImageStore(_root.Combine("cache", "images"));
        var entry = Assert.Single(store.List());
        var name = entry.Name;
        var image = await ReadAsync(store, name);
        var config = image.Config;
        Assert.Equal("1654", config.User); // USER $APP_UID, from the base image's environment
        Assert.Equal("/app", config.WorkingDir);
        Assert.Equal(["dotnet", "WebApp.dll"], config.Entrypoint);
        Assert.Contains("8080/tcp", config.ExposedPorts);
        Assert.Contains("APP_UID=1654", config.Env!);
        Assert.True(config.Labels.ContainsKey(Dockyard.Builders.MachineRuntime.MachineRuntimeImages.Label));
        // Below the Dockerfile's own layers: the libraries, the runtime and ASP.NET Core, each its own layer.
        var history = config.History.Where(h => !h.EmptyLayer).Select(h => h.CreatedBy ?? "").ToList();
        Assert.Equal(image.Layers.Count, history.Count);
        Assert.StartsWith("dockyard: the libraries", history[0]);
        Assert.StartsWith("dockyard: .NET ", history[1]);
        Assert.StartsWith("dockyard: ASP.NET Core ", history[2]);
        // On top, the publish output in two layers: its NuGet dependencies, then the app's own files (printed so, too).
        var comments = config.History.Where(h => !h.EmptyLayer).Select(h => h.Comment).ToList();
        Assert.Equal([Dockyard.Layers.PublishLayering.DependenciesComment, Dockyard.Layers.PublishLayering.AppComment], comments[^2..]);
        Assert.Matches(@"layer \d+: +[0-9.]+ KiB +dependencies +COPY /app/publish \.", run.StandardError);
        Assert.Matches(@"layer \d+: +[0-9.]+ KiB +app +COPY /app/publish \.", run.StandardError);
        Assert.Contains($"digest: {entry.Descriptor.Digest}", run.StandardError);
        Assert.Contains("docker-daemon:", run.StandardError); // how to load it into docker

        // The same image, loaded into a real docker, runs the app as user 1654 and answers on the port it is given.
        _cli.Environment["DOCKER_HOST"] = daemon.Host;
        var copy = await _cli.RunAsync(["image", "copy", "local:" + name, "docker-daemon:" + name]);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var port = FreePort.Next();
        var container = "mainjob-" + Guid.NewGuid().ToString("N")[..8];
        await daemon.DockerAsync(["run", "-d", "--name", container, "--network", "host", "-e", $"ASPNETCORE_HTTP_PORTS={port}", name]);
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (var attempt = 0; attempt < 120 && body is null; attempt++)
            {
                try
                {
                    body = await http.GetStringAsync($"http://127.0.0.1:{port}/");
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(500);
                }
            }

            var logs = (await daemon.DockerAsync(["logs", container], check: false)).StandardError;
            Assert.True(body is not null, $"the app did not answer on port {port}\n{logs}");
            Assert.Equal("webapp", JsonDocument.Parse(body!).RootElement.GetProperty("service").GetString());
            var user = (await daemon.DockerAsync(["exec", container, "/usr/bin/dotnet", "--list-runtimes"], check: false));
            Assert.Contains("Microsoft.AspNetCore.App", user.StandardOutput);
        }
        finally
        {
            await daemon.DockerAsync(["rm", "-f", container], check: false);
        }
    }

    /// <summary>The arguments after <c>--</c> of the README's main command (the first line after its "# the main job" comment).</summary>
    private static IReadOnlyList<string> ReadmeMainCommand()
    {
        var lines = File.ReadAllLines(Path.Combine(PackageFeed.RepositoryRoot, "README.md"));
        var at = Array.FindIndex(lines, l => l.StartsWith("# the main job", StringComparison.Ordinal));
        Assert.True(at >= 0, "README.md has no '# the main job' line");
        var command = lines.Skip(at + 1).Select(l => l.Trim()).First(l => !l.StartsWith('#'));
        const string prefix = "dotnet run --project src/Dockyard.Cli -- ";
        Assert.StartsWith(prefix, command);
        var arguments = command[prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("samples/webapp", arguments);
        return arguments;
    }

    /// <summary>samples/webapp as its own git repository (the job's tag is the commit's short SHA), without build output.</summary>
    private string CopySample()
    {
        var source = Path.Combine(PackageFeed.RepositoryRoot, "samples", "webapp");
        var target = _root.Combine("webapp");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split('/').Any(p => p is "bin" or "obj" or ".dockyard")) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(target, relative))!);
            File.Copy(file, Path.Combine(target, relative));
        }

        foreach (var git in new[] { new[] { "init", "-q" }, ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "sample"] })
        {
            var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = target, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in git) start.ArgumentList.Add(a);
            using var process = System.Diagnostics.Process.Start(start)!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }

        return target;
    }

    private static async Task<Dockyard.Images.Image> ReadAsync(LocalImageStore store, string name) =>
        (Dockyard.Images.Image)await new LocalStoreSource(store, name).ReadAsync(new Dockyard.Images.Transfer.ImageReadOptions(), CancellationToken.None);

    public void Dispose()
    {
        _cli.Dispose();
        _root.Dispose();
    }
}
