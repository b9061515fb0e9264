using Microsoft.Extensions.Logging;

namespace Dockyard.Cli.Commands;

/// <summary>Writes warnings and errors of the core (already masked) to a text writer as <c>WARNING: …</c>/<c>ERROR: …</c>.</summary>
public sealed class TextWriterLogger(TextWriter writer) : ILogger
{
    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel)) return;
        lock (writer) writer.WriteLine($"{(logLevel >= LogLevel.Error ? "ERROR" : "WARNING")}: {formatter(state, exception)}");
    }
}
