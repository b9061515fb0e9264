using Dockyard.Processes;

namespace Dockyard.Tests.Infrastructure;

/// <summary>
/// A shell script standing in for a real tool (<c>docker</c>, <c>buildah</c>): it appends its full argv and the
/// variables named when it was made to a log, then execs the real binary. Lets tests check every command line a
/// backend spawned (no secret on argv) and which <c>DOCKER_CONFIG</c> it used.
/// </summary>
public sealed class RecordingWrapper : IDisposable
{
    private readonly TempDirectory _dir = new("wrap");

    /// <summary>Creates a wrapper for <paramref name="tool"/> (found on PATH) logging <paramref name="variables"/>.</summary>
    public RecordingWrapper(string tool, params string[] variables)
    {
        var real = ExecutableLookup.Find(tool, Environment.GetEnvironmentVariable("PATH") ?? "") ?? throw new InvalidOperationException($"{tool} is not installed");
        Executable = _dir.Combine(tool);
        LogFile = _dir.Combine("argv.log");
        var env = string.Concat(variables.Select(v => $"printf '{v}=%s\\n' \"${v}\"; "));
        File.WriteAllText(Executable, $"""
            #!/bin/sh
            {"{"} printf 'argv:'; for a in "$0" "$@"; do printf ' <%s>' "$a"; done; printf '\n'; {env}{"}"} >> '{LogFile}'
            exec '{real}' "$@"

            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>The wrapper script to use as the tool's executable.</summary>
    public string Executable { get; }

    /// <summary>The log the wrapper appends to.</summary>
    public string LogFile { get; }

    /// <summary>Every logged line so far.</summary>
    public IReadOnlyList<string> Lines => File.Exists(LogFile) ? File.ReadAllLines(LogFile) : [];

    /// <summary>The logged argv lines.</summary>
    public IReadOnlyList<string> CommandLines => Lines.Where(l => l.StartsWith("argv:", StringComparison.Ordinal)).ToList();

    /// <summary>The logged values of <paramref name="variable"/>, one per run.</summary>
    public IReadOnlyList<string> Values(string variable) =>
        Lines.Where(l => l.StartsWith(variable + "=", StringComparison.Ordinal)).Select(l => l[(variable.Length + 1)..]).ToList();

    /// <summary>Deletes the wrapper and its log.</summary>
    public void Dispose() => _dir.Dispose();
}
