using Dockyard.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Dockyard.Cli.Commands;

/// <summary>
/// The CLI's logger: one line per entry on a writer (standard error); warnings and errors carry their code
/// (<c>warning DY2501: Dockerfile:3:1: …</c>), information is printed as is. Messages arrive masked from the core.
/// </summary>
public sealed class TextWriterLogger(TextWriter writer, LogLevel minimum = LogLevel.Information) : ILogger
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var text = formatter(state, exception);
        var code = state is Diagnostic diagnostic ? diagnostic.Code : eventId.Name;
        var line = logLevel switch
        {
            >= LogLevel.Error => $"error {code}: {text}",
            LogLevel.Warning => $"warning {code}: {text}",
            _ => text,
        };
        lock (_gate) writer.WriteLine(line);
    }
}
