using Dockyard.Credentials.Masking;
using Dockyard.Hosting;

namespace Dockyard.Cli.Hosting;

/// <summary>
/// What every command of one <c>dockyard</c> run shares: the output writers, standard input, the run's one secret
/// masker and session credentials, whether output goes to a terminal, and the <see cref="HostContext"/> the core's
/// use cases are called with. Every command's action runs through <see cref="RunAsync"/>, so every failure is shown
/// the one way <see cref="ErrorReport"/> shows it.
/// </summary>
public sealed class CliContext
{
    private readonly TextReader? _stdin;

    /// <summary>Creates the context of one run.</summary>
    /// <param name="stdout">Results (what scripts read).</param>
    /// <param name="stderr">Diagnostics, tool output and progress.</param>
    /// <param name="interactive">Whether stderr is a terminal (progress bars instead of lines).</param>
    public CliContext(TextWriter stdout, TextWriter stderr, bool interactive)
        : this(stdout, stderr, interactive, stdin: null)
    {
    }

    /// <summary>Creates the context of one run reading <c>--password-stdin</c> from <paramref name="stdin"/> (<c>null</c>: the console's input).</summary>
    public CliContext(TextWriter stdout, TextWriter stderr, bool interactive, TextReader? stdin)
    {
        Stdout = stdout;
        Stderr = stderr;
        Interactive = interactive;
        _stdin = stdin;
        Logger = new Commands.TextWriterLogger(stderr, masker: Masker);
    }

    /// <summary>Where results go.</summary>
    public TextWriter Stdout { get; }

    /// <summary>Where diagnostics, tool output and progress go.</summary>
    public TextWriter Stderr { get; }

    /// <summary>Where <c>--password-stdin</c> reads from.</summary>
    public TextReader Stdin => _stdin ?? Console.In;

    /// <summary>Whether stderr is a terminal (and not CI): progress is drawn rather than printed line by line.</summary>
    public bool Interactive { get; }

    /// <summary>The run's one masker; everything written to <see cref="Stderr"/> through the logger passes it.</summary>
    public SecretMasker Masker { get; } = new();

    /// <summary>Credentials given on this command line (<c>--username</c>/<c>--password-stdin</c>), in memory only.</summary>
    public SessionCredentials Credentials { get; } = new();

    /// <summary>The logger that writes diagnostics to <see cref="Stderr"/>.</summary>
    public Commands.TextWriterLogger Logger { get; }

    /// <summary>Whether <c>--verbose</c> was given (debug lines and stack traces of unexpected failures).</summary>
    public bool Verbose
    {
        get => Logger.Minimum <= Microsoft.Extensions.Logging.LogLevel.Debug;
        set => Logger.Minimum = value ? Microsoft.Extensions.Logging.LogLevel.Debug : Microsoft.Extensions.Logging.LogLevel.Information;
    }

    /// <summary>The host context of this process for the core's use cases, logging through <see cref="Logger"/>.</summary>
    public HostContext Host(IProgress<ProgressEvent>? progress = null) =>
        HostContext.FromProcess(Logger, progress, Masker).WithCredentials(Credentials);

    /// <summary>Runs a command's action; a failure is written by <see cref="ErrorReport"/> (exit 1, 70 or 130).</summary>
    public async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception failure)
        {
            return ErrorReport.Write(failure, Stderr, Masker, Verbose);
        }
    }

    /// <summary>Runs a command's synchronous action; a failure is written by <see cref="ErrorReport"/>.</summary>
    public int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception failure)
        {
            return ErrorReport.Write(failure, Stderr, Masker, Verbose);
        }
    }

    /// <summary>A context for this process's own console: interactive when stderr is a terminal outside CI.</summary>
    public static CliContext ForConsole() =>
        new(Console.Out, Console.Error,
            !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")));
}
