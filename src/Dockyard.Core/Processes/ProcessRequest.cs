using System.Text;
using Dockyard.Credentials.Masking;
using Microsoft.Extensions.Logging;

namespace Dockyard.Processes;

/// <summary>
/// One run of an external program: an argument list (never a shell line), environment changes, optional standard
/// input (how secrets reach a program), a timeout and a bound on what is kept of its output.
/// </summary>
/// <param name="Executable">The program: a path, or a bare name looked up on the PATH the program will see.</param>
/// <param name="Arguments">The arguments; never a secret (they are visible in <c>/proc/PID/cmdline</c> and <c>ps</c>).</param>
internal sealed record ProcessRequest(string Executable, IReadOnlyList<string> Arguments)
{
    /// <summary>The default bound on each captured stream: 4 MiB.</summary>
    public const int DefaultMaxCapturedBytes = 4 * 1024 * 1024;

    /// <summary>The directory the program starts in; <c>null</c> = the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the program starts from this process's environment (<c>true</c>) or from <see cref="Environment"/> alone.</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>Variables set (or, with a <c>null</c> value, removed) in the program's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Bytes written to standard input, which is then closed; <c>null</c> = standard input is closed at once.</summary>
    public ReadOnlyMemory<byte>? StandardInput { get; init; }

    /// <summary>How long the program may run before its process group is killed; <c>null</c> = until cancelled.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>How many bytes of each stream (stdout, stderr) are kept in the result; past it the rest is read and dropped.</summary>
    public int MaxCapturedBytes { get; init; } = DefaultMaxCapturedBytes;

    /// <summary>Whether the program is killed as soon as one stream passes <see cref="MaxCapturedBytes"/> (endless output).</summary>
    public bool KillWhenOutputExceedsCap { get; init; }

    /// <summary>
    /// Whether standard output is split into lines for <see cref="OnLine"/>, <see cref="Logger"/> and the masked tail
    /// (<c>false</c> for answers that are data, such as a credential helper's JSON or git's object contents).
    /// </summary>
    public bool StreamStandardOutput { get; init; } = true;

    /// <summary>Masks every output line before it reaches <see cref="OnLine"/>, <see cref="Logger"/> or the tail.</summary>
    public SecretMasker Masker { get; init; } = new();

    /// <summary>Receives every output line (stdout and stderr), secrets masked.</summary>
    public Action<string>? OnLine { get; init; }

    /// <summary>Receives every output line (stdout and stderr), secrets masked, at <see cref="LogLevel"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The level output lines are logged at.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>How long the output pipes are still read after the program exited (a background child may hold them open).</summary>
    public TimeSpan PipeGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>What to tell the user when the program is not installed, e.g. <c>Install buildah (apt-get install buildah).</c></summary>
    public string InstallHint { get; init; } = "Install it or put its directory on PATH.";

    /// <summary>A copy that writes <paramref name="text"/> (UTF-8) to standard input.</summary>
    public ProcessRequest WithInput(string? text) =>
        this with { StandardInput = text is null ? null : new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text) };

    /// <summary>The command as a user would type it, for messages (arguments are never secret).</summary>
    public string Display => string.Join(' ', new[] { Path.GetFileName(Executable) }.Concat(Arguments.Select(Quote)));

    /// <summary>The PATH the program will see (where a bare <see cref="Executable"/> is looked up).</summary>
    internal string PathVariable =>
        Environment.TryGetValue("PATH", out var path) ? path ?? ""
        : InheritEnvironment ? System.Environment.GetEnvironmentVariable("PATH") ?? "" : "";

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./:=@,+".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
