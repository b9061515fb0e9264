using Cake.Core.Diagnostics;
using Dockyard.Credentials.Masking;
using Microsoft.Extensions.Logging;
using CakeLevel = Cake.Core.Diagnostics.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Dockyard.Cake.Hosting;

/// <summary>The core's <see cref="ILogger"/> over Cake's log: every message masked, levels mapped to Cake verbosities.</summary>
internal sealed class CakeLogger(ICakeLog log, SecretMasker masker) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && log.Verbosity >= Map(logLevel).Verbosity;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var (verbosity, level) = Map(logLevel);
        log.Write(verbosity, level, "{0}", masker.Mask(formatter(state, exception)));
    }

    /// <summary>Writes one already-formed line at normal verbosity, masked.</summary>
    public void Information(string text) => log.Write(Verbosity.Normal, CakeLevel.Information, "{0}", masker.Mask(text));

    private static (Verbosity Verbosity, CakeLevel Level) Map(LogLevel level) => level switch
    {
        LogLevel.Trace => (Verbosity.Diagnostic, CakeLevel.Debug),
        LogLevel.Debug => (Verbosity.Verbose, CakeLevel.Verbose),
        LogLevel.Information => (Verbosity.Normal, CakeLevel.Information),
        LogLevel.Warning => (Verbosity.Minimal, CakeLevel.Warning),
        _ => (Verbosity.Quiet, CakeLevel.Error),
    };
}
