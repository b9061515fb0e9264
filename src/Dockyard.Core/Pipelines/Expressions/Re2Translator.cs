using System.Text;
using System.Text.RegularExpressions;

namespace Dockyard.Pipelines.Expressions;

/// <summary>Rewrites RE2 syntax into the equivalent .NET syntax (ASCII classes, end anchors, named groups, POSIX classes).</summary>
internal static class Re2Translator
{
    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = "\\x00-\\x7F", ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F", ["digit"] = "0-9", ["graph"] = "!-~", ["lower"] = "a-z",
        ["print"] = " -~", ["punct"] = "!-/:-@\\[-`{-~", ["space"] = "\\t\\n\\v\\f\\r ", ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>Translates one RE2 pattern; <paramref name="multiline"/> is the <c>m</c> flag (then <c>$</c> is a line end).</summary>
    public static bool TryTranslate(string source, bool multiline, out string translated, out string? error)
    {
        var output = new StringBuilder(source.Length + 16);
        var inClass = false;
        var classStart = 0;
        error = null;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '\\')
            {
                if (i + 1 >= source.Length)
                {
                    error = "trailing backslash";
                    translated = "";
                    return false;
                }

                if (!TryTranslateEscape(source, ref i, inClass, output, out error))
                {
                    translated = "";
                    return false;
                }

                continue;
            }

            if (inClass)
            {
                if (c == '[' && i + 1 < source.Length && source[i + 1] == ':')
                {
                    var end = source.IndexOf(":]", i + 2, StringComparison.Ordinal);
                    if (end > 0)
                    {
                        var name = source[(i + 2)..end];
                        var negated = name.StartsWith('^');
                        if (negated || !PosixClasses.TryGetValue(name, out var members))
                        {
                            error = negated
                                ? $"negated POSIX class [:{name}:] inside a bracket expression is not supported"
                                : $"unknown POSIX class [:{name}:]";
                            translated = "";
                            return false;
                        }

                        output.Append(members);
                        i = end + 1;
                        continue;
                    }
                }

                if (c == ']' && i > classStart)
                {
                    inClass = false;
                }
                else if (c == '[' || (c == '-' && i + 1 < source.Length && source[i + 1] == '['))
                {
                    output.Append('\\');
                }

                output.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    output.Append('[');
                    if (i + 1 < source.Length && source[i + 1] == '^')
                    {
                        output.Append('^');
                        i++;
                    }

                    // A ']' right after '[' or '[^' is a literal member.
                    if (i + 1 < source.Length && source[i + 1] == ']')
                    {
                        output.Append("\\]");
                        i++;
                    }

                    classStart = i + 1;
                    break;
                case '$':
                    output.Append(multiline ? "$" : "\\z");
                    break;
                case '(':
                    if (!TryTranslateGroupStart(source, ref i, output, out error))
                    {
                        translated = "";
                        return false;
                    }

                    break;
                case '#' or ' ':
                    // .NET would treat these specially only with IgnorePatternWhitespace, which is never set; keep literal.
                    output.Append(c);
                    break;
                default:
                    output.Append(c);
                    break;
            }

            if (c is '*' or '+' or '?' or '}' && i + 1 < source.Length && source[i + 1] == '+')
            {
                error = "possessive quantifiers are not supported by RE2";
                translated = "";
                return false;
            }
        }

        if (inClass)
        {
            error = "missing closing ]";
            translated = "";
            return false;
        }

        translated = output.ToString();
        return true;
    }

    private static bool TryTranslateGroupStart(string source, ref int i, StringBuilder output, out string? error)
    {
        error = null;
        if (i + 1 >= source.Length || source[i + 1] != '?')
        {
            output.Append('(');
            return true;
        }

        var rest = source.AsSpan(i + 2);
        if (rest.StartsWith("P<"))
        {
            output.Append("(?<");
            i += 3;
            return true;
        }

        if (rest.StartsWith("<") && !rest.StartsWith("<=") && !rest.StartsWith("<!"))
        {
            output.Append("(?<");
            i += 2;
            return true;
        }

        if (rest.StartsWith(":"))
        {
            output.Append("(?:");
            i += 2;
            return true;
        }

        // Flag groups: (?flags) or (?flags:...), flags from i, m, s, U with an optional '-'.
        var j = 0;
        var flags = new StringBuilder();
        while (j < rest.Length && rest[j] is 'i' or 'm' or 's' or 'U' or '-')
        {
            // U (ungreedy) changes which match is found, never whether one exists, so it is dropped.
            if (rest[j] != 'U')
            {
                flags.Append(rest[j]);
            }

            j++;
        }

        if (j > 0 && j < rest.Length && rest[j] is ')' or ':')
        {
            var text = flags.ToString().TrimEnd('-');
            if (rest[j] == ':')
            {
                output.Append("(?").Append(text).Append(':');
            }
            else if (text.Length > 0)
            {
                output.Append("(?").Append(text).Append(')');
            }

            i += 2 + j;
            return true;
        }

        error = $"unsupported group syntax '(?{(rest.Length > 2 ? rest[..2].ToString() : rest.ToString())}' (RE2 has no look-around, atomic groups or conditionals)";
        return false;
    }

    private static bool TryTranslateEscape(string source, ref int i, bool inClass, StringBuilder output, out string? error)
    {
        error = null;
        var next = source[i + 1];
        i++;
        switch (next)
        {
            case 'd':
                output.Append(inClass ? "0-9" : "[0-9]");
                return true;
            case 'w':
                output.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]");
                return true;
            case 's':
                output.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]");
                return true;
            case 'D' when !inClass:
                output.Append("[^0-9]");
                return true;
            case 'W' when !inClass:
                output.Append("[^0-9A-Za-z_]");
                return true;
            case 'S' when !inClass:
                output.Append("[^\\t\\n\\f\\r ]");
                return true;
            case 'z':
            case 'A':
            case 'b':
            case 'B':
                output.Append('\\').Append(next);
                return true;
            case 'Q':
            {
                var end = source.IndexOf("\\E", i + 1, StringComparison.Ordinal);
                var literal = end < 0 ? source[(i + 1)..] : source[(i + 1)..end];
                output.Append(inClass ? EscapeForClass(literal) : Regex.Escape(literal));
                i = end < 0 ? source.Length - 1 : end + 1;
                return true;
            }
            case 'x' when i + 1 < source.Length && source[i + 1] == '{':
            {
                var end = source.IndexOf('}', i + 2);
                if (end < 0 || !int.TryParse(source.AsSpan(i + 2, end - i - 2), System.Globalization.NumberStyles.HexNumber, null, out var code)
                    || code > 0x10FFFF)
                {
                    error = "invalid \\x{...} escape";
                    return false;
                }

                var text = char.ConvertFromUtf32(code);
                output.Append(inClass ? EscapeForClass(text) : Regex.Escape(text));
                i = end;
                return true;
            }
            case 'p' or 'P':
                return TryTranslateUnicodeClass(source, ref i, next == 'P', inClass, output, out error);
            case '0':
            case >= '1' and <= '7' when i + 1 < source.Length && source[i + 1] is >= '0' and <= '7':
            {
                // RE2 octal escapes: \0, \0nn, \nn, \nnn (a lone \1..\7 would be a back-reference).
                var code = next - '0';
                var digits = 1;
                while (digits < 3 && i + 1 < source.Length && source[i + 1] is >= '0' and <= '7')
                {
                    code = (code * 8) + (source[++i] - '0');
                    digits++;
                }

                var text = ((char)code).ToString();
                output.Append(inClass ? EscapeForClass(text) : Regex.Escape(text));
                return true;
            }

            case >= '1' and <= '9':
                error = "back-references (\\1...\\9) are not supported by RE2";
                return false;
            case 'C':
                // RE2's "any byte"; on .NET strings the closest is any character.
                output.Append(inClass ? "\\s\\S" : "[\\s\\S]");
                return true;
            case 'Z' or 'G' or 'k' or 'K' or 'R' or 'X':
                error = $"escape \\{next} is not supported by RE2";
                return false;
            default:
                output.Append('\\').Append(next);
                return true;
        }
    }

    private static readonly Dictionary<string, string> ScriptBlocks = new(StringComparer.Ordinal)
    {
        ["Latin"] = "A-Za-z\\u00AA\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02AF\\u1D00-\\u1DBF\\u1E00-\\u1EFF\\u2C60-\\u2C7F\\uA720-\\uA7FF\\uFB00-\\uFB06\\uFF21-\\uFF3A\\uFF41-\\uFF5A",
        ["Greek"] = "\\p{IsGreek}\\p{IsGreekExtended}",
        ["Han"] = "\\p{IsCJKUnifiedIdeographs}\\p{IsCJKUnifiedIdeographsExtensionA}\\p{IsCJKCompatibilityIdeographs}",
        ["Hangul"] = "\\p{IsHangulSyllables}\\p{IsHangulJamo}\\p{IsHangulCompatibilityJamo}",
    };

    /// <summary>
    /// <c>\pL</c>, <c>\p{Lu}</c>, <c>\p{^Greek}</c>, <c>\PL</c>, <c>\p{Any}</c>: general categories pass through; RE2 scripts become
    /// the .NET Unicode blocks that hold them (Latin, Greek, Han and Hangul are spelled out; others use <c>Is&lt;Script&gt;</c>).
    /// </summary>
    private static bool TryTranslateUnicodeClass(string source, ref int i, bool negated, bool inClass, StringBuilder output, out string? error)
    {
        error = null;
        string name;
        if (i + 1 < source.Length && source[i + 1] == '{')
        {
            var end = source.IndexOf('}', i + 2);
            if (end < 0)
            {
                error = "unclosed \\p{...}";
                return false;
            }

            name = source[(i + 2)..end];
            i = end;
        }
        else if (i + 1 < source.Length)
        {
            name = source[++i].ToString();
        }
        else
        {
            error = "\\p needs a class name";
            return false;
        }

        if (name.StartsWith('^'))
        {
            negated = !negated;
            name = name[1..];
        }

        if (name.Length == 0)
        {
            error = "\\p{} needs a class name";
            return false;
        }

        string members;
        if (name == "Any")
        {
            members = "\\s\\S";
        }
        else if (name.Length <= 2 && char.IsAsciiLetterUpper(name[0]))
        {
            members = $"\\p{{{name}}}";
        }
        else
        {
            members = ScriptBlocks.TryGetValue(name, out var blocks) ? blocks : $"\\p{{Is{name}}}";
        }

        if (inClass)
        {
            if (negated)
            {
                error = $"a negated Unicode class \\P{{{name}}} inside [...] is not supported";
                return false;
            }

            output.Append(members);
        }
        else
        {
            output.Append(negated ? "[^" : "[").Append(members).Append(']');
        }

        return true;
    }

    private static string EscapeForClass(string literal)
    {
        var builder = new StringBuilder(literal.Length * 2);
        foreach (var c in literal)
        {
            if (c is '\\' or ']' or '[' or '^' or '-')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
