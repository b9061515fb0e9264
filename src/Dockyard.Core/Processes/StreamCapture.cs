using System.Text;

namespace Dockyard.Processes;

/// <summary>
/// One output stream of a run: keeps its first bytes up to a cap and, when it has a line sink, cuts the whole stream
/// into UTF-8 lines for it (a line longer than <see cref="MaxLineLength"/> is delivered in pieces).
/// </summary>
internal sealed class StreamCapture(int maxBytes, OutputLines? lines)
{
    /// <summary>The longest line delivered whole; longer ones are cut.</summary>
    public const int MaxLineLength = 8192;

    private readonly object _gate = new();
    private readonly MemoryStream _kept = new();
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private readonly StringBuilder _line = new();
    private char[] _chars = new char[4096];
    private long _total;
    private bool _truncated;
    private bool _closed;

    /// <summary>Whether the run has returned (a reader still going should stop).</summary>
    public bool IsClosed
    {
        get
        {
            lock (_gate) return _closed;
        }
    }

    /// <summary>Takes the next bytes; returns <c>false</c> once, when they pass the cap.</summary>
    public bool Write(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_closed) return true;
            _total += bytes.Length;
            var room = (int)Math.Max(0, maxBytes - _kept.Length);
            _kept.Write(bytes[..Math.Min(room, bytes.Length)]);
            var passedCap = !_truncated && bytes.Length > room;
            _truncated |= passedCap;
            if (lines is not null) Split(bytes, flush: false);
            return !passedCap;
        }
    }

    /// <summary>Delivers a last unterminated line and stops taking bytes.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            if (_closed) return;
            if (lines is not null)
            {
                Split([], flush: true);
                if (_line.Length > 0) Deliver();
            }
            _closed = true;
        }
    }

    /// <summary>What was kept.</summary>
    public CapturedOutput Snapshot()
    {
        lock (_gate)
        {
            return new CapturedOutput(Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length), _total, _truncated);
        }
    }

    private void Split(ReadOnlySpan<byte> bytes, bool flush)
    {
        var needed = _decoder.GetCharCount(bytes, flush);
        if (needed > _chars.Length) _chars = new char[needed];
        var count = _decoder.GetChars(bytes, _chars, flush);
        foreach (var c in _chars.AsSpan(0, count))
        {
            if (c == '\n')
            {
                if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
                Deliver();
            }
            else
            {
                _line.Append(c);
                if (_line.Length >= MaxLineLength) Deliver();
            }
        }
    }

    private void Deliver()
    {
        lines!.Add(_line.ToString());
        _line.Clear();
    }
}
