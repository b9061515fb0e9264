using Dockyard.Credentials.Masking;
using Microsoft.Extensions.Logging;

namespace Dockyard.Processes;

/// <summary>
/// Where the output lines of one run go, from both streams: masked, then kept in a short tail and handed to the
/// caller's callback and logger. Closed when the run returns, so a late line from a lingering child goes nowhere.
/// </summary>
internal sealed class OutputLines(SecretMasker masker, Action<string>? onLine, ILogger? logger, LogLevel level, string program)
{
    /// <summary>How many of the last lines are kept for error messages.</summary>
    public const int KeptLines = 200;

    private readonly Queue<string> _tail = new();
    private readonly object _gate = new();
    private bool _closed;

    /// <summary>Masks and delivers one line.</summary>
    public void Add(string line)
    {
        var masked = masker.Mask(line);
        lock (_gate)
        {
            if (_closed) return;
            _tail.Enqueue(masked);
            if (_tail.Count > KeptLines) _tail.Dequeue();
            onLine?.Invoke(masked);
            if (logger is not null) ProcessLog.OutputLine(logger, level, program, masked);
        }
    }

    /// <summary>Stops delivering and returns the kept tail.</summary>
    public IReadOnlyList<string> Close()
    {
        lock (_gate)
        {
            _closed = true;
            return _tail.ToList();
        }
    }
}
