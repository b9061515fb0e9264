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
        var rest = _chars.AsSpan(0, count);
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf('\n');
            var piece = end < 0 ? rest : rest[..end];
            if (end > 0 && piece[^1] == '\r') piece = piece[..^1];
            while (_line.Length + piece.Length > MaxLineLength)
            {
                var room = MaxLineLength - _line.Length;
                _line.Append(piece[..room]);
                piece = piece[room..];
                Deliver();
            }

            _line.Append(piece);
            if (end < 0) break;
            if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
            Deliver();
            rest = rest[(end + 1)..];
        }
    }

    private void Deliver()
    {
        lines!.Add(_line.ToString());
        _line.Clear();
    }
}
