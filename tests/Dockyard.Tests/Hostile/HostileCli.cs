using System.Diagnostics;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>What one run of the real <c>dockyard</c> process did.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Everything written to standard output.</param>
/// <param name="StandardError">Everything written to standard error.</param>
/// <param name="WorkingDirectory">The (fresh) directory it ran in, to check what it wrote.</param>
public sealed record HostileRun(int ExitCode, string StandardOutput, string StandardError, string WorkingDirectory)
{
    /// <summary>Standard output as bytes (an archive written to <c>-</c>).</summary>
    public byte[] StandardOutputBytes { get; init; } = [];

    /// <summary>Both outputs, for failure messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>
/// Runs the real CLI (<c>dotnet dockyard.dll</c> from the CLI's build output) as hostile-input cases need it: a fresh
/// working directory and <c>HOME</c> (no docker config, no podman auth of the machine), a watchdog that kills the
/// process tree when it runs past a generous bound (a hang or a runaway fails the test; this is a safety bound, not a
/// timing assertion), and the checks every case shares (<see cref="AssertRefused"/>).
/// </summary>
public sealed class HostileCli : IDisposable
{
    private readonly TempDirectory _root = new("hostile");

    /// <summary>The working directory of every run (empty at the start).</summary>
    public string WorkingDirectory => _root.Combine("work");

    /// <summary>The <c>HOME</c> of every run.</summary>
    public string Home => _root.Combine("home");

    /// <summary>Extra environment variables for every run.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The safety bound after which a run counts as hung (default 3 minutes).</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// When set, every run is <c>setpriv</c>'d to this user and group id (65534 is <c>nobody</c>), so that file
    /// permissions apply (the tests run as root, which reads everything); the working and home directories become writable to all.
    /// </summary>
    public int? UserId { get; init; }

    /// <summary>Creates the runner with empty working and home directories.</summary>
    public HostileCli()
    {
        Directory.CreateDirectory(WorkingDirectory);
        Directory.CreateDirectory(Home);
    }

    /// <summary>
    /// Runs <c>dockyard <paramref name="arguments"/></c>, writing <paramref name="standardInput"/> to its stdin when given.
    /// When <paramref name="kill"/> fires first, the process gets SIGKILL (no handler, no cleanup) and the run ends with exit code 137.
    /// </summary>
    public async Task<HostileRun> RunAsync(IEnumerable<string> arguments, string? standardInput = null, CancellationToken kill = default)
    {
        var dll = CliAssembly.Path;
        Assert.True(File.Exists(dll), $"the CLI is not built next to the tests ({dll})");
        var info = new ProcessStartInfo(UserId is null ? "dotnet" : "setpriv")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = WorkingDirectory,
        };
        if (UserId is { } user)
        {
            foreach (var a in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", "dotnet" }) info.ArgumentList.Add(a);
            if (!OperatingSystem.IsWindows())
                foreach (var dir in new[] { WorkingDirectory, Home }) File.SetUnixFileMode(dir, (UnixFileMode)0x1FF);
        }
        info.ArgumentList.Add(dll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var name in new[] { "DOCKER_CONFIG", "DOCKER_AUTH_CONFIG", "REGISTRY_AUTH_FILE", "XDG_RUNTIME_DIR", "CI_JOB_TOKEN", "CI_REGISTRY", "CI_REGISTRY_PASSWORD", "CI_DEPLOY_PASSWORD", "CONTAINERS_REGISTRIES_CONF" })
            info.Environment.Remove(name);
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("DOTNET_CONTAINER_", StringComparison.Ordinal) || k.StartsWith("SDK_CONTAINER_", StringComparison.Ordinal)).ToList())
            info.Environment.Remove(name);
        info.Environment["HOME"] = Home;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (k, v) in Environment) info.Environment[k] = v;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdoutBytes = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(stdoutBytes);
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null) await process.StandardInput.WriteAsync(standardInput);
        process.StandardInput.Close();
        using var watchdog = new CancellationTokenSource(Watchdog);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(watchdog.Token, kill);
        try { await process.WaitForExitAsync(either.Token); }
        catch (OperationCanceledException) when (kill.IsCancellationRequested && !watchdog.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: false); // SIGKILL on Unix
            await process.WaitForExitAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dockyard {string.Join(" ", arguments)} was still running after the {Watchdog.TotalSeconds:0} s safety bound (a hang or a runaway).\n{await stderr}");
        }
        await stdout;
        return new HostileRun(process.ExitCode, System.Text.Encoding.UTF8.GetString(stdoutBytes.ToArray()), await stderr, WorkingDirectory)
            { StandardOutputBytes = stdoutBytes.ToArray() };
    }

    /// <summary>
    /// The shared checks of a refused input: exit code <paramref name="exitCode"/>, exactly one <c>error</c> line on
    /// stderr that contains <paramref name="expected"/>, no stack frame, none of <paramref name="secrets"/> in any output,
    /// and nothing written to the working directory.
    /// </summary>
    public static void AssertRefused(HostileRun run, string expected, IEnumerable<string>? secrets = null, int exitCode = 1)
    {
        Assert.True(run.ExitCode == exitCode, $"expected exit {exitCode}\n{run}");
        var errors = run.StandardError.Split('\n').Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(errors.Count == 1, $"expected one error line\n{run}");
        Assert.Contains(expected, errors[0], StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", run.StandardError + run.StandardOutput);
        Assert.DoesNotContain("Exception", run.StandardError + run.StandardOutput);
        AssertNoSecret(run, secrets);
        Assert.Empty(Directory.EnumerateFileSystemEntries(run.WorkingDirectory));
    }

    /// <summary>Asserts that none of <paramref name="secrets"/> appears in either output.</summary>
    public static void AssertNoSecret(HostileRun run, IEnumerable<string>? secrets)
    {
        foreach (var secret in secrets ?? [])
        {
            Assert.DoesNotContain(secret, run.StandardOutput);
            Assert.DoesNotContain(secret, run.StandardError);
        }
    }

    /// <summary>Deletes the working and home directories.</summary>
    public void Dispose() => _root.Dispose();
}
