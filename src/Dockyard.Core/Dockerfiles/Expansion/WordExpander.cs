using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;

namespace Dockyard.Dockerfiles.Expansion;

/// <summary>
/// Expands variables in Dockerfile words the way BuildKit's shell lexer does: <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-default}</c>, <c>${VAR-default}</c>, <c>${VAR:+alt}</c>, <c>${VAR+alt}</c>, <c>${VAR:?msg}</c>,
/// <c>${VAR#glob}</c>, <c>${VAR##glob}</c>, <c>${VAR%glob}</c>, <c>${VAR%%glob}</c>, <c>${VAR/glob/repl}</c>,
/// <c>${VAR//glob/repl}</c>, with single/double quote removal and the escape character of the Dockerfile.
/// </summary>
public sealed class WordExpander
{
    private readonly Func<string, string?> _lookup;
    private readonly char _escape;
    private readonly SourceLocation _location;

    /// <summary>Creates an expander.</summary>
    /// <param name="lookup">Returns a variable's value, or null when it is not set.</param>
    /// <param name="escape">The Dockerfile escape character (<c>\</c> or <c>`</c>).</param>
    /// <param name="location">Where the expanded text comes from, for error messages.</param>
    /// <param name="onUndefined">Called with the name of each variable used without a default (<c>$V</c>, <c>${V}</c>) that is not set.</param>
    public WordExpander(Func<string, string?> lookup, char escape, SourceLocation location, Action<string>? onUndefined = null)
    {
        _lookup = lookup;
        _escape = escape;
        _location = location;
        _onUndefined = onUndefined;
    }

    private readonly Action<string>? _onUndefined;

    /// <summary>The most characters variables may substitute into one word or text (1 MiB).</summary>
    internal const int MaxSubstitutedLength = 1024 * 1024;

    private string Plain(string name)
    {
        var value = _lookup(name);
        if (value is null) _onUndefined?.Invoke(name);
        return value ?? "";
    }

    /// <summary>Expands one word (no word splitting), removing quotes and escapes.</summary>
    /// <exception cref="SourceException">Unterminated quote, bad substitution or <c>${VAR:?}</c> on an unset variable.</exception>
    public string Expand(string word) => new Run(this, word).Word();

    /// <summary>Expands a text and splits it into words on unquoted whitespace, like a shell would.</summary>
    public IReadOnlyList<string> ExpandWords(string text) => new Run(this, text).Words();

    /// <summary>
    /// Substitutes variables only, keeping quotes and escaped characters as written (how BuildKit expands the body of an
    /// unquoted COPY/ADD here-document).
    /// </summary>
    public string ExpandVariables(string text) => new Run(this, text).Raw();

    private sealed class Run(WordExpander owner, string text)
    {
        private int _pos;
        private long _substituted;

        private bool AtEnd => _pos >= text.Length;
        private char Peek => text[_pos];

        public string Raw()
        {
            var result = new StringBuilder();
            while (!AtEnd)
            {
                var ch = text[_pos++];
                if (ch == owner._escape)
                {
                    result.Append(ch);
                    if (!AtEnd) result.Append(text[_pos++]);
                }
                else if (ch == '$') result.Append(Dollar());
                else result.Append(ch);
            }
            return result.ToString();
        }

        public string Word()
        {
            var result = new StringBuilder();
            while (!AtEnd) ReadInto(result, stopOn: null);
            return result.ToString();
        }

        public IReadOnlyList<string> Words()
        {
            var words = new List<string>();
            var current = new StringBuilder();
            var inWord = false;
            while (!AtEnd)
            {
                if (char.IsWhiteSpace(Peek))
                {
                    _pos++;
                    if (inWord) words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                    continue;
                }
                inWord = true;
                ReadInto(current, stopOn: null);
            }
            if (inWord) words.Add(current.ToString());
            return words;
        }

        /// <summary>Reads one syntactic element (char, escape, quote or substitution) into <paramref name="result"/>.</summary>
        private void ReadInto(StringBuilder result, char? stopOn)
        {
            var ch = text[_pos++];
            if (ch == owner._escape)
            {
                if (!AtEnd) result.Append(text[_pos++]);
                return;
            }
            switch (ch)
            {
                case '\'' when stopOn is null:
                    SingleQuoted(result);
                    return;
                case '"' when stopOn is null:
                    DoubleQuoted(result);
                    return;
                case '$':
                    result.Append(Dollar());
                    return;
                default:
                    result.Append(ch);
                    return;
            }
        }

        private void SingleQuoted(StringBuilder result)
        {
            while (!AtEnd)
            {
                var ch = text[_pos++];
                if (ch == '\'') return;
                result.Append(ch);
            }
            throw Error("unexpected end of text while looking for the matching single quote (').", "Close the quote or escape it.");
        }

        private void DoubleQuoted(StringBuilder result)
        {
            while (!AtEnd)
            {
                var ch = text[_pos++];
                if (ch == '"') return;
                if (ch == '$')
                {
                    result.Append(Dollar());
                    continue;
                }
                if (ch == owner._escape && !AtEnd)
                {
                    var next = text[_pos];
                    if (next == '"' || next == '$' || next == owner._escape)
                    {
                        result.Append(next);
                        _pos++;
                        continue;
                    }
                }
                result.Append(ch);
            }
            throw Error("unexpected end of text while looking for the matching double quote (\").", "Close the quote or escape it.");
        }

        // Every substituted value counts once: a chain of doubling ARG/ENV values (ARG A=$A$A) stops at the limit
        // instead of growing to gigabytes.
        private string Dollar()
        {
            var value = Substitution();
            _substituted += value.Length;
            if (_substituted > MaxSubstitutedLength)
                throw Error($"variable expansion produces more than {MaxSubstitutedLength / (1024 * 1024)} MiB in one instruction word.",
                    "Do not build values by repeated self-concatenation (ARG A=$A$A); pass large data as files.");
            return value;
        }

        private string Substitution()
        {
            if (AtEnd) return "$";
            if (Peek != '{')
            {
                var simple = Name();
                return simple.Length == 0 ? "$" : owner.Plain(simple);
            }
            _pos++;
            var name = Name();
            if (name.Length == 0) throw Error("bad substitution: a variable name must follow '${'.", "Write ${NAME} with letters, digits and underscores.");
            if (AtEnd) throw Error($"missing '}}' after '${{{name}'.", "Close the substitution with '}'.");
            var value = owner._lookup(name);
            var op = text[_pos++];
            switch (op)
            {
                case '}':
                    return owner.Plain(name);
                case ':':
                {
                    if (AtEnd) throw Error($"missing modifier after '${{{name}:'.", "Use ${NAME:-default}, ${NAME:+alternative} or ${NAME:?message}.");
                    var modifier = text[_pos++];
                    var word = Until('}');
                    var empty = string.IsNullOrEmpty(value);
                    return modifier switch
                    {
                        '-' => empty ? word : value!,
                        '+' => empty ? "" : word,
                        '?' => empty ? throw Unset(name, word) : value!,
                        _ => throw Error($"unsupported modifier ':{modifier}' in '${{{name}:{modifier}...}}'.", "Use :- , :+ or :? ."),
                    };
                }
                case '-':
                {
                    var word = Until('}');
                    return value ?? word;
                }
                case '+':
                {
                    var word = Until('}');
                    return value is null ? "" : word;
                }
                case '?':
                {
                    var word = Until('}');
                    return value ?? throw Unset(name, word);
                }
                case '#':
                case '%':
                {
                    var longest = !AtEnd && Peek == op;
                    if (longest) _pos++;
                    var pattern = Until('}');
                    return WithPattern(name, pattern, () => GlobTrim.Trim(value ?? "", pattern, fromStart: op == '#', longest));
                }
                case '/':
                {
                    var all = !AtEnd && Peek == '/';
                    if (all) _pos++;
                    var pattern = UntilAny('/', '}', out var stoppedAt);
                    var replacement = stoppedAt == '/' ? Until('}') : "";
                    return WithPattern(name, pattern, () => GlobTrim.Replace(value ?? "", pattern, replacement, all));
                }
                default:
                    throw Error($"unsupported modifier '{op}' in substitution of '{name}'.",
                        "Supported: ${NAME}, ${NAME:-x}, ${NAME-x}, ${NAME:+x}, ${NAME+x}, ${NAME:?x}, ${NAME#x}, ${NAME%x}, ${NAME/x/y}.");
            }
        }

        private string Until(char stop) => UntilAny(stop, stop, out _);

        /// <summary>Reads an expanded word up to an unescaped <paramref name="a"/> or <paramref name="b"/> (consumed).</summary>
        private string UntilAny(char a, char b, out char stoppedAt)
        {
            var result = new StringBuilder();
            while (!AtEnd)
            {
                var ch = Peek;
                if (ch == a || ch == b)
                {
                    _pos++;
                    stoppedAt = ch;
                    return result.ToString();
                }
                if (ch == '\'' || ch == '"')
                {
                    _pos++;
                    if (ch == '\'') SingleQuoted(result); else DoubleQuoted(result);
                    continue;
                }
                ReadInto(result, stopOn: a);
            }
            throw Error("missing '}' to close a ${...} substitution.", "Close the substitution with '}'.");
        }

        private string Name()
        {
            var start = _pos;
            if (!AtEnd && char.IsAsciiDigit(Peek))
            {
                while (!AtEnd && char.IsAsciiDigit(Peek)) _pos++;
                return text[start.._pos];
            }
            while (!AtEnd && (char.IsAsciiLetterOrDigit(Peek) || Peek == '_')) _pos++;
            return text[start.._pos];
        }

        // A bracket expression such as [z-a] makes no regex (BuildKit refuses it too); found by the dockerfile fuzz target.
        private string WithPattern(string name, string pattern, Func<string> apply)
        {
            try
            {
                return apply();
            }
            catch (RegexParseException e)
            {
                throw Error($"the pattern '{pattern}' in the substitution of '{name}' is not a valid shell pattern ({e.Error}).",
                    "Write the pattern with *, ? and bracket expressions whose ranges go upwards, e.g. [a-z].");
            }
        }

        private SourceException Unset(string name, string message) =>
            Error(message.Length > 0 ? $"{name}: {message}" : $"variable '{name}' is required but not set or empty.",
                $"Pass --build-arg {name}=... or set it with ARG/ENV before this line.");

        private SourceException Error(string problem, string whatToDo) =>
            new(owner._location, $"in '{text}': {problem}", whatToDo);
    }
}
