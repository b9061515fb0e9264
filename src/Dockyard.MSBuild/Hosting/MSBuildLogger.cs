using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using MessageImportance = Microsoft.Build.Framework.MessageImportance;
using Microsoft.Build.Utilities;
using Microsoft.Extensions.Logging;

namespace Dockyard.MSBuild.Hosting;

/// <summary>
/// The core's <see cref="ILogger"/> over MSBuild's: warnings as MSBuild warnings with their DY code and location,
/// information as normal-importance messages, debug/trace as low; every text masked.
/// </summary>
internal sealed class MSBuildLogger(TaskLoggingHelper log, SecretMasker masker) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = masker.Mask(formatter(state, exception));
        var diagnostic = state as Diagnostic;
        var code = diagnostic?.Code ?? eventId.Name;
        switch (logLevel)
        {
            case LogLevel.Warning:
                log.LogWarning(null, code, null, diagnostic?.Location?.File, diagnostic?.Location?.Line ?? 0, diagnostic?.Location?.Column ?? 0, 0, 0, "{0}",
                    diagnostic?.Location is null ? text : masker.Mask(diagnostic.Message));
                break;
            case >= LogLevel.Error:
                log.LogError(null, code, null, diagnostic?.Location?.File, diagnostic?.Location?.Line ?? 0, diagnostic?.Location?.Column ?? 0, 0, 0, "{0}", text);
                break;
            case LogLevel.Information:
                log.LogMessage(MessageImportance.Normal, "{0}", text);
                break;
            default:
                log.LogMessage(MessageImportance.Low, "{0}", text);
                break;
        }
    }
}
