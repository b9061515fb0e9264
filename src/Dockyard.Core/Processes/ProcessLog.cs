using Microsoft.Extensions.Logging;

namespace Dockyard.Processes;

/// <summary>The log messages of program runs.</summary>
internal static partial class ProcessLog
{
    /// <summary>One output line of a program, secrets already masked.</summary>
    [LoggerMessage(EventId = 1, Message = "{Program}: {Line}")]
    public static partial void OutputLine(ILogger logger, LogLevel level, string program, string line);
}
