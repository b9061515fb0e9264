using System.Text.Json;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>A word of an instruction line and its offset in the line.</summary>
internal readonly record struct Word(string Text, int Offset);

/// <summary>The ways BuildKit's parser splits an instruction's arguments into words.</summary>
internal static class Words
{
    /// <summary>Splits on whitespace only (quotes are not special).</summary>
    public static List<Word> SplitWhitespace(string text, int offset)
    {
        var words = new List<Word>();
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            if (i > start) words.Add(new Word(text[start..i], offset + start));
        }
        return words;
    }

    /// <summary>
    /// Splits on whitespace outside quotes, keeping quotes and escapes in the words (they are removed later by expansion),
    /// as BuildKit does for ENV, LABEL and ARG.
    /// </summary>
    public static List<Word> SplitQuoted(string text, int offset, char escape)
    {
        var words = new List<Word>();
        var word = new System.Text.StringBuilder();
        var start = -1;
        char quote = '\0';
        var blankOk = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quote == '\0' && char.IsWhiteSpace(ch))
            {
                if (start >= 0 && (blankOk || word.Length > 0)) words.Add(new Word(word.ToString(), offset + start));
                word.Clear();
                start = -1;
                blankOk = false;
                continue;
            }
            if (start < 0) start = i;
            if (quote == '\0' && (ch == '\'' || ch == '"'))
            {
                quote = ch;
                blankOk = true;
            }
            else if (quote != '\0' && ch == quote) quote = '\0';
            if (ch == escape && quote != '\'')
            {
                if (i + 1 == text.Length) continue;
                word.Append(ch);
                ch = text[++i];
            }
            word.Append(ch);
        }
        if (start >= 0 && (blankOk || word.Length > 0)) words.Add(new Word(word.ToString(), offset + start));
        return words;
    }

    /// <summary>Parses the JSON (exec) form: a JSON array of strings. Returns null when the text is not one.</summary>
    public static List<string>? TryParseJsonArray(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('[') || !trimmed.EndsWith(']')) return null;
        try
        {
            using var document = JsonDocument.Parse(trimmed);
            if (document.RootElement.ValueKind != JsonValueKind.Array) return null;
            var items = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String) return null;
                items.Add(element.GetString()!);
            }
            return items;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
