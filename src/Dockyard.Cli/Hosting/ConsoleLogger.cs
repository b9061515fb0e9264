using Dockyard.Credentials.Masking;
using Microsoft.Extensions.Logging;

namespace Dockyard.Cli.Hosting;

/// <summary>
/// Writes the core's log to standard error, one masked line per message: <c>warning DY2501: …</c> for warnings and
/// errors (with the event id as the code), plain text for information, debug lines only with <c>--verbose</c>.
/// </summary>
public sealed class ConsoleLogger(TextWriter writer, SecretMasker masker) : ILogger
{
    private readonly Lock _gate = new();

    /// <summary>Whether debug and trace messages are written.</summary>
    public bool Verbose { get; set; }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && (Verbose || logLevel >= LogLevel.Information);

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var text = masker.Mask(formatter(state, exception));
        var code = eventId.Name is { Length: > 0 } name ? name : null;
        var line = logLevel switch
        {
            LogLevel.Warning => code is null ? $"warning: {text}" : $"warning {code}: {text}",
            >= LogLevel.Error => code is null ? $"error: {text}" : $"error {code}: {text}",
            _ => text,
        };
        lock (_gate) writer.WriteLine(line);
    }
}
