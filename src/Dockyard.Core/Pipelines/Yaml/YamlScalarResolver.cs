using System.Globalization;

namespace Dockyard.Pipelines.Yaml;

/// <summary>YAML 1.1 implicit typing of plain scalars, as Ruby Psych does it.</summary>
internal static class YamlScalarResolver
{
    private static readonly HashSet<string> TrueWords = ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"];
    private static readonly HashSet<string> FalseWords = ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"];
    private static readonly HashSet<string> NullWords = ["", "~", "null", "Null", "NULL"];

    public static YamlScalarKind Resolve(string text)
    {
        if (NullWords.Contains(text)) return YamlScalarKind.Null;
        if (TrueWords.Contains(text) || FalseWords.Contains(text)) return YamlScalarKind.Boolean;
        if (text.Length == 0) return YamlScalarKind.String;
        char c = text[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.')) return YamlScalarKind.String;
        if (TryParseInteger(text, out _)) return YamlScalarKind.Integer;
        if (IsFloat(text)) return YamlScalarKind.Float;
        return YamlScalarKind.String;
    }

    public static bool IsTrue(string text) => TrueWords.Contains(text);

    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        var s = text.Replace("_", "", StringComparison.Ordinal);
        bool negative = false;
        if (s.StartsWith('-') || s.StartsWith('+'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s.Length == 0) return false;
        bool ok;
        if (s.StartsWith("0x", StringComparison.Ordinal))
            ok = long.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && s.Length > 2;
        else if (s.StartsWith("0b", StringComparison.Ordinal))
            ok = long.TryParse(s.AsSpan(2), NumberStyles.AllowBinarySpecifier, CultureInfo.InvariantCulture, out value) && s.Length > 2;
        else if (s.Length > 1 && s[0] == '0' && s.All(ch => ch is >= '0' and <= '7'))
        {
            try { value = Convert.ToInt64(s, 8); ok = true; } catch (OverflowException) { ok = false; }
        }
        else
            ok = s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (negative) value = -value;
        return ok;
    }

    private static bool IsFloat(string text)
    {
        var s = text.TrimStart('+', '-');
        if (s is ".inf" or ".Inf" or ".INF" || text is ".nan" or ".NaN" or ".NAN") return true;
        s = s.Replace("_", "", StringComparison.Ordinal);
        if (s.Length == 0 || s == ".") return false;
        bool digit = false, dot = false, exp = false;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (char.IsAsciiDigit(c)) digit = true;
            else if (c == '.' && !dot && !exp) dot = true;
            else if ((c == 'e' || c == 'E') && digit && !exp)
            {
                exp = true;
                if (i + 1 < s.Length && s[i + 1] is '+' or '-') i++;
                digit = false;
            }
            else return false;
        }
        return digit && (dot || exp);
    }
}
