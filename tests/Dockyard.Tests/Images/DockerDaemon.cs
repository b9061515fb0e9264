using System.Diagnostics;
using Dockyard.Tests.Layers;

namespace Dockyard.Tests.Images;

/// <summary>
/// A private dockerd (Debian docker.io) for one test class: its own data/exec roots and socket in a temp directory,
/// vfs storage, no bridge and no iptables; stopped by its process id on dispose.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerDaemon : IDisposable
{
    private readonly TempDirectory _root = new();
    private readonly Process _process;

    public DockerDaemon()
    {
        Socket = _root.Combine("docker.sock");
        var start = new ProcessStartInfo("dockerd")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList =
            {
                "--bridge=none", "--iptables=false", "--ip6tables=false", "--storage-driver=vfs",
                "--data-root", _root.Combine("data"), "--exec-root", _root.Combine("exec"),
                "--pidfile", _root.Combine("dockerd.pid"), "-H", "unix://" + Socket,
            },
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 120; attempt++)
        {
            if (_process.HasExited) throw new InvalidOperationException($"dockerd exited with {_process.ExitCode}");
            if (File.Exists(Socket) && TryDocker(out _, "version")) return;
            Thread.Sleep(500);
        }
        Dispose();
        throw new InvalidOperationException("dockerd did not answer within 60 s");
    }

    /// <summary>The daemon's socket path.</summary>
    public string Socket { get; }

    /// <summary>Runs the docker CLI against this daemon; fails the test on a non-zero exit.</summary>
    public string Docker(params string[] args)
    {
        if (!TryDocker(out var output, args)) throw new Xunit.Sdk.XunitException($"docker {string.Join(' ', args)} failed: {output}");
        return output;
    }

    private bool TryDocker(out string output, params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["DOCKER_HOST"] = "unix://" + Socket;
        start.Environment["DOCKER_CONFIG"] = _root.Combine("client-config");
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        output = process.ExitCode == 0 ? stdout.Result : stderr.Result + stdout.Result;
        return process.ExitCode == 0;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            if (!_process.WaitForExit(30_000)) _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
        _root.Dispose();
    }
}
