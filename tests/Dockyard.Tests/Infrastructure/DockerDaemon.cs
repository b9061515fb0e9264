using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Dockyard.Tests.Infrastructure;

/// <summary>
/// A private, real <c>dockerd</c> (Debian docker.io) for the tests: its own data root, exec root, pid file and unix
/// socket in a temp directory; no bridge, no iptables; overlay2 storage, or vfs where overlay2 cannot mount; user-defined
/// networks from its own small address pool (<see cref="NetworkPoolSize"/> networks, so a test can use them all up).
/// Started once per test run through <see cref="DockerDaemonCollection"/>; dispose stops it (SIGTERM, then kill)
/// and deletes everything. The docker CLI is run against it with its own client config directory.
/// </summary>
public sealed class DockerDaemon : IAsyncLifetime
{
    private static readonly string[] StorageDrivers = ["overlay2", "vfs"];

    private readonly TempDirectory _root = new("dockerd");
    private readonly StringBuilder _log = new();
    private Process? _process;

    /// <summary>How many user-defined networks the daemon's address pool holds (<c>--default-address-pool</c>).</summary>
    public const int NetworkPoolSize = 4;

    /// <summary>The daemon's socket path.</summary>
    public string Socket => _root.Combine("docker.sock");

    /// <summary>The value for <c>DOCKER_HOST</c>.</summary>
    public string Host => "unix://" + Socket;

    /// <summary>The storage driver the daemon runs with.</summary>
    public string StorageDriver { get; private set; } = "";

    /// <summary>The docker CLI configuration directory the fixture's own commands use.</summary>
    public string ClientConfig => _root.Combine("client-config");

    /// <summary>What dockerd wrote (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts dockerd with the first storage driver that works and waits until <c>docker info</c> answers.</summary>
    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ClientConfig);
        var failures = new StringBuilder();
        foreach (var driver in StorageDrivers)
        {
            if (await TryStartAsync(driver))
            {
                StorageDriver = driver;
                return;
            }
            failures.AppendLine($"--- {driver} ---").AppendLine(Log);
            await StopAsync();
            lock (_log) _log.Clear();
            Directory.Delete(_root.Combine("data"), recursive: true);
        }
        throw new InvalidOperationException($"dockerd did not start with any storage driver:\n{failures}");
    }

    private async Task<bool> TryStartAsync(string driver)
    {
        var info = new ProcessStartInfo("dockerd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--bridge=none", "--iptables=false", "--ip6tables=false", "--storage-driver", driver,
            "--default-address-pool", "base=10.213.40.0/22,size=24",
            "--data-root", _root.Combine("data"), "--exec-root", _root.Combine("exec"), "--pidfile", _root.Combine("dockerd.pid"),
            "-H", Host,
        })
        {
            info.ArgumentList.Add(argument);
        }
        _process = Process.Start(info) ?? throw new InvalidOperationException("dockerd did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) return false;
            if (File.Exists(Socket))
            {
                var result = await DockerAsync(["info", "--format", "{{.Driver}}"], check: false);
                if (result.ExitCode == 0) return result.StandardOutput.Trim() == driver;
            }
            await Task.Delay(200);
        }
        return false;
    }

    /// <summary>Runs the docker CLI against this daemon; fails the test on a non-zero exit unless <paramref name="check"/> is false.</summary>
    public async Task<ProcessResult> DockerAsync(IReadOnlyList<string> arguments, bool check = true, string? standardInput = null)
    {
        var result = await ProcessRunner.RunAsync("docker", arguments, standardInput, TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["DOCKER_HOST"] = Host, ["DOCKER_CONFIG"] = ClientConfig });
        return check ? result.EnsureSuccess("docker " + string.Join(' ', arguments)) : result;
    }

    private async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited)
        {
            // SIGTERM lets dockerd stop its containerd and unmount its layers; kill only if it hangs.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
        _process = null;
    }

    /// <summary>Stops dockerd and deletes its directories.</summary>
    public async Task DisposeAsync()
    {
        await StopAsync();
        _root.Dispose();
    }
}

/// <summary>Tests that share the one <see cref="DockerDaemon"/> (they run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class DockerDaemonCollection : ICollectionFixture<DockerDaemon>
{
    /// <summary>The collection name for <c>[Collection(DockerDaemonCollection.Name)]</c>.</summary>
    public const string Name = "docker daemon";
}
