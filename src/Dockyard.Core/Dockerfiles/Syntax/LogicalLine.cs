using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>One instruction's text with continuation lines joined, mapping every offset back to line:column.</summary>
internal sealed class LogicalLine(string fileName)
{
    private readonly List<(int Offset, int Line, int Column)> _segments = [];
    private readonly System.Text.StringBuilder _text = new();

    public string Text => _text.ToString();

    public List<Heredoc> Heredocs { get; } = [];

    public void Append(string part, int line, int column)
    {
        _segments.Add((_text.Length, line, column));
        _text.Append(part);
    }

    /// <summary>The source location of character <paramref name="offset"/> of <see cref="Text"/>.</summary>
    public SourceLocation At(int offset)
    {
        var segment = _segments[0];
        foreach (var candidate in _segments)
        {
            if (candidate.Offset > offset) break;
            segment = candidate;
        }
        return new SourceLocation(fileName, segment.Line, segment.Column + Math.Max(0, offset - segment.Offset));
    }

    /// <summary>The line after the last one this instruction uses (for "unterminated" errors).</summary>
    public int LastLine => _segments[^1].Line;
}
