using System.Text;

namespace Dockyard.Jobs.Planning;

/// <summary>One simple command of a script line: its words after variable expansion.</summary>
/// <param name="Words">The command name and its arguments (quotes removed, variables expanded).</param>
/// <param name="Dynamic">True when a word holds a command substitution or an expansion only the shell can do at run time.</param>
internal sealed record ScriptCommand(IReadOnlyList<string> Words, bool Dynamic);

/// <summary>
/// Finds the simple commands of a script line the way bash would split them, for planning only (bash still runs the
/// line): words, quotes and backslashes, <c>$NAME</c>/<c>${NAME}</c> expanded with the job's variables, the separators
/// <c>; &amp;&amp; || | &amp;</c> and newlines, the keywords that start a command (<c>if then else elif while until do !</c>),
/// redirections dropped, leading <c>NAME=value</c> assignments skipped, comments ignored. A <c>$(...)</c> or backquote
/// substitution, and <c>${...}</c> forms with operators, are kept as written and mark the command dynamic.
/// </summary>
internal static class ScriptCommands
{
    private static readonly HashSet<string> Openers = ["if", "then", "else", "elif", "while", "until", "do", "!", "time", "{", "(", "exec", "command"];
    private static readonly HashSet<string> Closers = ["fi", "done", "}", ")", "esac"];

    /// <summary>The commands of <paramref name="line"/>; every variable name it references is added to <paramref name="referenced"/>.</summary>
    public static IReadOnlyList<ScriptCommand> Split(string line, Func<string, string?> lookup, ISet<string> referenced)
    {
        ArgumentNullException.ThrowIfNull(line);
        var commands = new List<ScriptCommand>();
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false, dynamic = false, skipNextWord = false;
        int i = 0;

        void EndWord()
        {
            if (!inWord) return;
            if (skipNextWord) skipNextWord = false;
            else words.Add(word.ToString());
            word.Clear();
            inWord = false;
        }

        void EndCommand()
        {
            EndWord();
            var start = 0;
            while (start < words.Count && (Openers.Contains(words[start]) || IsAssignment(words[start]))) start++;
            var end = words.Count;
            while (end > start && Closers.Contains(words[end - 1])) end--;
            if (end > start) commands.Add(new ScriptCommand(words.GetRange(start, end - start), dynamic));
            words.Clear();
            dynamic = false;
        }

        while (i < line.Length)
        {
            var c = line[i];
            switch (c)
            {
                case '\'':
                    inWord = true;
                    var close = line.IndexOf('\'', i + 1);
                    if (close < 0) close = line.Length;
                    word.Append(line, i + 1, close - i - 1);
                    i = close + 1;
                    continue;
                case '"':
                    inWord = true;
                    i = DoubleQuoted(line, i + 1, word, lookup, referenced, ref dynamic);
                    continue;
                case '\\':
                    inWord = true;
                    if (i + 1 < line.Length && line[i + 1] != '\n') word.Append(line[i + 1]);
                    i += 2;
                    continue;
                case '$':
                    inWord = true;
                    i = Dollar(line, i, word, lookup, referenced, ref dynamic);
                    continue;
                case '`':
                    inWord = true;
                    dynamic = true;
                    var tick = line.IndexOf('`', i + 1);
                    if (tick < 0) tick = line.Length - 1;
                    word.Append(line, i, tick - i + 1);
                    i = tick + 1;
                    continue;
                case '#' when !inWord:
                    i = line.IndexOf('\n', i) is var newline and >= 0 ? newline : line.Length;
                    continue;
                case ';' or '\n' or '&' or '|':
                    EndCommand();
                    i++;
                    continue;
                case '>' or '<':
                    // A redirection: the operator (and a file-descriptor number before it) and its target are not arguments.
                    if (inWord && word.Length > 0 && word.ToString().All(char.IsAsciiDigit)) { word.Clear(); inWord = false; }
                    EndWord();
                    while (i < line.Length && line[i] is '>' or '<' or '&') i++;
                    while (i < line.Length && line[i] is ' ' or '\t') i++;
                    if (i < line.Length && char.IsAsciiDigit(line[i]) && (i + 1 == line.Length || line[i + 1] is ' ' or '\t' or ';')) { i++; continue; }
                    skipNextWord = true;
                    continue;
                case ' ' or '\t':
                    EndWord();
                    i++;
                    continue;
                default:
                    inWord = true;
                    word.Append(c);
                    i++;
                    continue;
            }
        }
        EndCommand();
        return commands;
    }

    private static bool IsAssignment(string word)
    {
        var eq = word.IndexOf('=');
        return eq > 0 && (char.IsAsciiLetter(word[0]) || word[0] == '_') && word.AsSpan(0, eq).IndexOfAnyExcept(NameChars) < 0;
    }

    private static readonly System.Text.RegularExpressions.Regex VariableUse = new(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)", System.Text.RegularExpressions.RegexOptions.NonBacktracking);

    private static readonly System.Buffers.SearchValues<char> NameChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    private static int DoubleQuoted(string line, int i, StringBuilder word, Func<string, string?> lookup, ISet<string> referenced, ref bool dynamic)
    {
        while (i < line.Length && line[i] != '"')
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
            {
                word.Append(line[i + 1]);
                i += 2;
            }
            else if (c == '$')
            {
                i = Dollar(line, i, word, lookup, referenced, ref dynamic);
            }
            else if (c == '`')
            {
                dynamic = true;
                var tick = line.IndexOf('`', i + 1);
                if (tick < 0) tick = line.Length - 1;
                word.Append(line, i, tick - i + 1);
                i = tick + 1;
            }
            else
            {
                word.Append(c);
                i++;
            }
        }
        return i + 1;
    }

    // $NAME, ${NAME} expand; $(...), $((...)) and ${NAME<op>...} stay as written (dynamic); a lone $ is literal.
    private static int Dollar(string line, int i, StringBuilder word, Func<string, string?> lookup, ISet<string> referenced, ref bool dynamic)
    {
        if (i + 1 >= line.Length) { word.Append('$'); return i + 1; }
        var next = line[i + 1];
        if (next == '(')
        {
            dynamic = true;
            var depth = 0;
            var j = i + 1;
            for (; j < line.Length; j++)
            {
                if (line[j] == '(') depth++;
                else if (line[j] == ')' && --depth == 0) break;
            }
            var substitution = line.Substring(i, Math.Min(j, line.Length - 1) - i + 1);
            foreach (System.Text.RegularExpressions.Match used in VariableUse.Matches(substitution)) referenced.Add(used.Groups[1].Value);
            word.Append(substitution);
            return j + 1;
        }
        if (next == '{')
        {
            var close = line.IndexOf('}', i + 2);
            if (close < 0) { word.Append(line, i, line.Length - i); return line.Length; }
            var inner = line[(i + 2)..close];
            var nameLength = inner.AsSpan().IndexOfAnyExcept(NameChars);
            var name = nameLength < 0 ? inner : inner[..nameLength];
            if (name.Length > 0) referenced.Add(name);
            if (nameLength < 0 && name.Length > 0) word.Append(lookup(name) ?? "");
            else
            {
                dynamic = true;
                word.Append(line, i, close - i + 1);
            }
            return close + 1;
        }
        if (char.IsAsciiLetter(next) || next == '_')
        {
            var j = i + 1;
            while (j < line.Length && NameChars.Contains(line[j])) j++;
            var name = line[(i + 1)..j];
            referenced.Add(name);
            word.Append(lookup(name) ?? "");
            return j;
        }
        word.Append('$');
        return i + 1;
    }
}
