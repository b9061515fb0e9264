using Dockyard.Credentials.Masking;
using Dockyard.Hosting;

namespace Dockyard.Cli.Hosting;

/// <summary>
/// What every command of one <c>dockyard</c> run shares: the output writers, the run's one secret masker, whether
/// output goes to a terminal, and the <see cref="HostContext"/> the core's use cases are called with.
/// </summary>
public sealed class CliContext
{
    /// <summary>Creates the context of one run.</summary>
    /// <param name="stdout">Results (what scripts read).</param>
    /// <param name="stderr">Diagnostics, tool output and progress.</param>
    /// <param name="interactive">Whether stderr is a terminal (progress bars instead of lines).</param>
    public CliContext(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        Stdout = stdout;
        Stderr = stderr;
        Interactive = interactive;
        Logger = new Commands.TextWriterLogger(stderr, masker: Masker);
    }

    /// <summary>Where results go.</summary>
    public TextWriter Stdout { get; }

    /// <summary>Where diagnostics, tool output and progress go.</summary>
    public TextWriter Stderr { get; }

    /// <summary>Whether stderr is a terminal (and not CI): progress is drawn rather than printed line by line.</summary>
    public bool Interactive { get; }

    /// <summary>The run's one masker; everything written to <see cref="Stderr"/> through the logger passes it.</summary>
    public SecretMasker Masker { get; } = new();

    /// <summary>The logger that writes diagnostics to <see cref="Stderr"/>.</summary>
    public Commands.TextWriterLogger Logger { get; }

    /// <summary>Whether <c>--verbose</c> was given (debug lines and stack traces of unexpected failures).</summary>
    public bool Verbose
    {
        get => Logger.Minimum <= Microsoft.Extensions.Logging.LogLevel.Debug;
        set => Logger.Minimum = value ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information;
    }

    /// <summary>The host context of this process for the core's use cases, logging through <see cref="Logger"/>.</summary>
    public HostContext Host(IProgress<ProgressEvent>? progress = null) => HostContext.FromProcess(Logger, progress, Masker);

    /// <summary>A context for this process's own console: interactive when stderr is a terminal outside CI.</summary>
    public static CliContext ForConsole() =>
        new(Console.Out, Console.Error,
            !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")));
}
