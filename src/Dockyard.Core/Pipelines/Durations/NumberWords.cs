using System.Globalization;
using System.Text;

namespace Dockyard.Pipelines.Durations;

/// <summary>
/// Turns English number words into digits the way duration parsing needs (<c>twenty five</c> → <c>25</c>,
/// <c>one hundred and five</c> → <c>105</c>, <c>hundred</c> → <c>100</c>); other words are kept.
/// </summary>
internal static class NumberWords
{
    private static readonly Dictionary<string, int> Values = new(StringComparer.Ordinal)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6, ["seven"] = 7,
        ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12, ["thirteen"] = 13, ["fourteen"] = 14,
        ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17, ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20,
        ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50, ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    /// <summary>Replaces each run of number words in lower-case <paramref name="text"/> with its value.</summary>
    public static string Replace(string text)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (!words.Any(word => IsNumberWord(word.TrimEnd(','))))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        for (var i = 0; i < words.Length; i++)
        {
            if (!IsNumberWord(words[i].TrimEnd(',')))
            {
                output.Append(words[i]).Append(' ');
                continue;
            }

            long total = 0;
            long current = 0;
            var suffix = "";
            for (; i < words.Length; i++)
            {
                var word = words[i].TrimEnd(',');
                if (word == "and" && i + 1 < words.Length && IsNumberWord(words[i + 1].TrimEnd(',')))
                {
                    continue;
                }

                if (!IsNumberWord(word))
                {
                    i--;
                    break;
                }

                switch (word)
                {
                    case "hundred":
                        current = (current == 0 ? 1 : current) * 100;
                        break;
                    case "thousand":
                        total += (current == 0 ? 1 : current) * 1000;
                        current = 0;
                        break;
                    default:
                        current += Values[word];
                        break;
                }

                suffix = words[i].EndsWith(',') ? "," : "";
                if (suffix.Length > 0)
                {
                    break;
                }
            }

            output.Append((total + current).ToString(CultureInfo.InvariantCulture)).Append(suffix).Append(' ');
        }

        return output.ToString();
    }

    private static bool IsNumberWord(string word) => word is "hundred" or "thousand" || Values.ContainsKey(word);
}
