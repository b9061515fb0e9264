using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// A project of the container-job tests: a git checkout with a pipeline, a Dockerfile FROM the fixture's base image and
/// <c>app.txt</c>, run by the real <c>dockyard ci run</c> (shell executor, no Docker daemon) with the registry's
/// credentials in a variables file; every run is checked for the password in its output and in the files it left.
/// </summary>
public sealed class ContainerJobProject : IDisposable
{
    /// <summary>What the projects build: FROM the base, one COPY, a label.</summary>
    public const string Dockerfile = "ARG BASE\nFROM ${BASE}\nCOPY app.txt /app/app.txt\nLABEL org.example.built-by=dockyard\nCMD [\"/bin/sh\"]\n";

    private readonly ContainerJobRegistry _fixture;
    private readonly HostileCli _cli = new() { Watchdog = TimeSpan.FromMinutes(10) };

    public ContainerJobProject(ContainerJobRegistry fixture, string prefix)
    {
        _fixture = fixture;
        Root = new TempDirectory(prefix);
        // No daemon for the jobs: DOCKER_HOST of the run points at a socket that does not exist.
        _cli.Environment["DOCKER_HOST"] = "unix://" + Root.Combine("no-daemon.sock");
        _cli.Environment["DOCKYARD_CACHE"] = Root.Combine("cache");
    }

    public TempDirectory Root { get; }

    private string _cache = "cache";

    /// <summary>Gives the next runs an empty Dockyard cache (no local layers), as a fresh CI runner has.</summary>
    public void UseFreshCache()
    {
        _cache = "cache-" + Guid.NewGuid().ToString("N")[..8];
        _cli.Environment["DOCKYARD_CACHE"] = Root.Combine(_cache);
    }

    /// <summary>The project's repository in the registry (<c>CI_REGISTRY_IMAGE</c> without the host).</summary>
    public string Repository { get; } = "group/project-" + Guid.NewGuid().ToString("N")[..8];

    public string Directory => Root.Combine("project");

    public RegistryServer Registry => _fixture.Registry;

    /// <summary>The HOME of the runs.</summary>
    public string Home => _cli.Home;

    /// <summary>Writes the project (files staged in git, no commit unless <paramref name="tag"/>: then committed, tagged and checked out at the tag).</summary>
    public void Write(string pipeline, string? tag = null)
    {
        Root.WriteFile("project/.gitlab-ci.yml", pipeline);
        Root.WriteFile("project/Dockerfile", Dockerfile);
        Root.WriteFile("project/app.txt", "built by a job\n");
        Git("init", "-q", "-b", "main");
        Git("add", "-A");
        if (tag is null) return;
        Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "release");
        Git("tag", tag);
        Git("checkout", "-q", tag);
    }

    /// <summary>Runs <paramref name="job"/> (or <c>--pipeline</c>) of the project written; checks no secret leaked.</summary>
    public async Task<HostileRun> RunAsync(string job)
    {
        var variables = Root.WriteFile("vars.yml", $"""
            CI_REGISTRY: "{Registry.Host}"
            CI_REGISTRY_IMAGE: "{Registry.Host}/{Repository}"
            CI_REGISTRY_USER: "{Registry.Username}"
            CI_REGISTRY_PASSWORD: "{Registry.Password}"
            BASE_IMAGE: "{_fixture.BaseImage}"
            """);
        var run = await _cli.RunAsync(["ci", "run", job, "--cwd", Directory, "--variables-file", variables, "--executor", "shell", "--concurrency", "1"]);
        HostileCli.AssertNoSecret(run, [Registry.Password!]);
        AssertNoFileHolds(Registry.Password!);
        Assert.False(File.Exists(Path.Combine(_cli.Home, ".docker", "config.json")), "the job wrote the user's docker config");
        return run;
    }

    /// <summary>Nothing the run left behind (checkout, .dockyard, home, cache) holds the password.</summary>
    private void AssertNoFileHolds(string secret)
    {
        foreach (var root in new[] { Directory, Root.Combine(_cache), _cli.Home }.Where(System.IO.Directory.Exists))
            foreach (var file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length < 1 << 20))
                Assert.False(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), $"{file} holds the password");
    }

    private void Git(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    public void Dispose()
    {
        _cli.Dispose();
        Root.Dispose();
    }
}
