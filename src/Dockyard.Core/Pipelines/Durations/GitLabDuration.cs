using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Durations;

/// <summary>
/// Human durations as GitLab reads them for <c>timeout</c>, <c>start_in</c> and <c>artifacts:expire_in</c>
/// (the <c>chronic_duration</c> gem with exceptions on): <c>3600</c> (seconds), <c>1h 30m</c>, <c>1h30m</c>,
/// <c>3 hours</c>, <c>1 day 2 hrs</c>, <c>1 week</c>, <c>1.5 hours</c>, <c>1:30</c> (m:s), <c>1:02:03</c> (h:m:s),
/// number words (<c>twenty five minutes</c>), joined optionally by <c>and</c>/<c>with</c>/<c>plus</c>/commas. A month is 30 days, a year 365.25 days.
/// A zero duration is invalid, as on GitLab; <c>never</c> is accepted where <c>allowNever</c> is set (<c>expire_in</c>).
/// </summary>
public static partial class GitLabDuration
{
    private static readonly Dictionary<string, double> UnitSeconds = new(StringComparer.Ordinal)
    {
        ["s"] = 1, ["sec"] = 1, ["secs"] = 1, ["second"] = 1, ["seconds"] = 1,
        ["m"] = 60, ["min"] = 60, ["mins"] = 60, ["minute"] = 60, ["minutes"] = 60,
        ["h"] = 3600, ["hr"] = 3600, ["hrs"] = 3600, ["hour"] = 3600, ["hours"] = 3600,
        ["d"] = 86400, ["dy"] = 86400, ["day"] = 86400, ["days"] = 86400,
        ["w"] = 604800, ["wk"] = 604800, ["wks"] = 604800, ["week"] = 604800, ["weeks"] = 604800,
        ["mo"] = 2592000, ["mos"] = 2592000, ["month"] = 2592000, ["months"] = 2592000,
        ["y"] = 31557600, ["yr"] = 31557600, ["yrs"] = 31557600, ["year"] = 31557600, ["years"] = 31557600,
    };

    private static readonly string[] ColonUnits = ["seconds", "minutes", "hours", "days", "months", "years"];

    /// <summary>
    /// Parses <paramref name="text"/>; returns null for <c>never</c> (only when <paramref name="allowNever"/>).
    /// Throws <see cref="SourceException"/> at <paramref name="location"/> naming <paramref name="keyword"/> when invalid.
    /// </summary>
    public static TimeSpan? Parse(string text, SourceLocation location, string keyword, bool allowNever = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var duration, out var problem, allowNever))
        {
            return duration;
        }

        throw new SourceException(location, $"{keyword} '{text}' is not a valid duration: {problem}.",
            "Write it like '3600', '90 minutes', '1h 30m' or '1 day 2 hours'" + (allowNever ? " (or 'never')." : "."));
    }

    /// <summary>Parses without throwing; <paramref name="problem"/> says what is wrong.</summary>
    public static bool TryParse(string text, out TimeSpan? duration, out string? problem, bool allowNever = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = null;
        var trimmed = text.Trim().ToLowerInvariant();
        if (trimmed.Length == 0)
        {
            problem = "it is empty";
            return false;
        }

        if (trimmed == "never")
        {
            problem = allowNever ? null : "'never' is only allowed for artifacts:expire_in";
            return allowNever;
        }

        double seconds;
        var numerized = NumberWords.Replace(trimmed);
        var withoutSpaces = numerized.Replace(" ", "", StringComparison.Ordinal);
        if (ColonForm().IsMatch(withoutSpaces))
        {
            if (!TryParseColonForm(withoutSpaces, out seconds, out problem))
            {
                return false;
            }
        }
        else if (!TryParseWords(numerized, out seconds, out problem))
        {
            return false;
        }

        if (seconds <= 0)
        {
            problem = "the duration is zero";
            return false;
        }

        if (seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            problem = "the duration is too long";
            return false;
        }

        duration = TimeSpan.FromSeconds(Math.Round(seconds, 3));
        problem = null;
        return true;
    }

    /// <summary>
    /// The colon form (<c>1:30</c> = m:s, <c>1:02:03</c> = h:m:s, up to years:months:days:h:m:s): spaces are removed and
    /// each part, from the right, gets the next unit; the result is read as words (so odd parts fail or count as GitLab's do).
    /// </summary>
    private static bool TryParseColonForm(string text, out double seconds, out string? problem)
    {
        seconds = 0;
        var parts = text.Split(':');
        if (parts.Length > ColonUnits.Length)
        {
            problem = "too many ':'-separated parts";
            return false;
        }

        var words = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            words.Append(parts[i]).Append(' ').Append(ColonUnits[parts.Length - 1 - i]).Append(' ');
        }

        return TryParseWords(words.ToString(), out seconds, out problem);
    }

    /// <summary>
    /// The word form, as <c>gitlab-chronic-duration</c> reads it: numbers are split from glued units (<c>1h30m</c>), a
    /// leading unit counts once (<c>hours</c> is one hour), each number is multiplied by the unit that follows it, by
    /// one second at the end, and by zero when another number follows (<c>2 3</c> is 3 seconds), commas may only
    /// follow a word, and <c>and</c>/<c>with</c>/<c>plus</c> are ignored.
    /// </summary>
    private static bool TryParseWords(string text, out double seconds, out string? problem)
    {
        seconds = 0;
        var items = new List<(double? Number, double Unit)>();
        foreach (var word in SplitWords(text))
        {
            if (TryParseNumber(word, out var number))
            {
                items.Add((number, 0));
                continue;
            }

            var stripped = word.Trim(',');
            if (UnitSeconds.TryGetValue(stripped, out var unit))
            {
                items.Add((null, unit));
            }
            else if (stripped is not ("and" or "with" or "plus"))
            {
                problem = $"'{word}' is not a number or a unit (s, m, h, d, w, mo, y and their long forms)";
                return false;
            }
        }

        if (items.Count > 0 && items[0].Number is null)
        {
            items.Insert(0, (1, 0));
        }

        for (var k = 0; k < items.Count; k++)
        {
            if (items[k].Number is { } value)
            {
                var multiplier = k + 1 >= items.Count ? 1 : items[k + 1].Number is null ? items[k + 1].Unit : 0;
                seconds += value * multiplier;
            }
        }

        problem = null;
        return true;
    }

    /// <summary>Splits numbers (<c>[0-9]*\.?[0-9]+</c>) from what surrounds them, then splits on whitespace.</summary>
    private static IEnumerable<string> SplitWords(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            var numberLength = NumberLength(text, i);
            if (numberLength > 0)
            {
                i += numberLength;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && NumberLength(text, i) == 0)
                {
                    i++;
                }
            }

            yield return text[start..i];
        }
    }

    /// <summary>Length of a number (<c>[0-9]*\.?[0-9]+</c>) starting at <paramref name="start"/>, or 0.</summary>
    private static int NumberLength(string text, int start)
    {
        var i = start;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        if (i < text.Length - 1 && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        return i - start;
    }

    private static bool TryParseNumber(string text, out double value)
    {
        value = 0;
        return text.Length > 0 && NumberLength(text, 0) == text.Length
            && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    [GeneratedRegex(@"[0-9]*\.?[0-9]+(:[0-9]*\.?[0-9]+)+")]
    private static partial Regex ColonForm();
}
