using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Dockyard.Cli.Commands;

/// <summary>
/// The CLI's logger: one line per entry on a writer (standard error); warnings and errors carry their code
/// (<c>warning DY2501: Dockerfile:3:1: …</c>), information is printed as is. Messages arrive masked from the core
/// and pass <paramref name="masker"/> once more when one is given.
/// </summary>
public sealed class TextWriterLogger(TextWriter writer, LogLevel minimum = LogLevel.Information, SecretMasker? masker = null) : ILogger
{
    private readonly Lock _gate = new();

    /// <summary>The lowest level written (<c>--verbose</c> lowers it to debug).</summary>
    public LogLevel Minimum { get; set; } = minimum;

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= Minimum && logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var text = masker is null ? formatter(state, exception) : masker.Mask(formatter(state, exception));
        var code = state is Diagnostic diagnostic ? diagnostic.Code : eventId.Name;
        var line = logLevel switch
        {
            >= LogLevel.Error => code is null ? $"error: {text}" : $"error {code}: {text}",
            LogLevel.Warning => code is null ? $"warning: {text}" : $"warning {code}: {text}",
            _ => text,
        };
        lock (_gate) writer.WriteLine(line);
    }
}
