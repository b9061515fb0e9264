using System.Text;
using System.Text.RegularExpressions;

namespace Dockyard.Dockerfiles.Expansion;

/// <summary>The shell's pattern operations on a value: <c>${VAR#p}</c>, <c>${VAR%p}</c> and <c>${VAR/p/r}</c>.</summary>
internal static class GlobTrim
{
    /// <summary>Removes the shortest (or longest) prefix or suffix of <paramref name="value"/> matching <paramref name="glob"/>.</summary>
    public static string Trim(string value, string glob, bool fromStart, bool longest)
    {
        var regex = ToRegex(glob);
        var lengths = Enumerable.Range(0, value.Length + 1);
        if (longest) lengths = lengths.Reverse();
        foreach (var length in lengths)
        {
            var candidate = fromStart ? value[..length] : value[(value.Length - length)..];
            if (regex.IsMatch(candidate)) return fromStart ? value[length..] : value[..(value.Length - length)];
        }
        return value;
    }

    /// <summary>Replaces the first (or every) longest match of <paramref name="glob"/> in <paramref name="value"/>.</summary>
    public static string Replace(string value, string glob, string replacement, bool all)
    {
        if (glob.Length == 0) return value;
        var regex = new Regex(GlobBody(glob), RegexOptions.CultureInvariant);
        return all ? regex.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal))
            : regex.Replace(value, replacement.Replace("$", "$$", StringComparison.Ordinal), 1);
    }

    private static Regex ToRegex(string glob) => new("^" + GlobBody(glob) + @"\z", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private static string GlobBody(string glob)
    {
        var body = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var ch = glob[i];
            switch (ch)
            {
                case '*': body.Append("(?s:.*)"); break;
                case '?': body.Append("(?s:.)"); break;
                case '\\' when i + 1 < glob.Length: body.Append(Regex.Escape(glob[++i].ToString())); break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        var set = glob[(i + 1)..close];
                        if (set.StartsWith('!')) set = "^" + set[1..];
                        body.Append('[').Append(set.Replace(@"\", @"\\", StringComparison.Ordinal)).Append(']');
                        i = close;
                    }
                    else body.Append(@"\[");
                    break;
                default: body.Append(Regex.Escape(ch.ToString())); break;
            }
        }
        return body.ToString();
    }
}
