using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Durations;

/// <summary>
/// Human durations as GitLab reads them for <c>timeout</c>, <c>start_in</c> and <c>artifacts:expire_in</c>
/// (the <c>chronic_duration</c> gem with exceptions on): <c>3600</c> (seconds), <c>1h 30m</c>, <c>1h30m</c>,
/// <c>3 hours</c>, <c>1 day 2 hrs</c>, <c>1 week</c>, <c>1.5 hours</c>, <c>1:30</c> (m:s), <c>1:02:03</c> (h:m:s),
/// joined optionally by <c>and</c>/<c>with</c>/<c>plus</c>/commas. A month is 30 days, a year 365.25 days.
/// A zero duration is invalid, as on GitLab; <c>never</c> is accepted where <c>allowNever</c> is set (<c>expire_in</c>).
/// </summary>
public static class GitLabDuration
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

    private static readonly double[] ColonUnits = [1, 60, 3600, 86400, 2592000, 31557600];

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
        if (trimmed.Contains(':'))
        {
            if (!TryParseColonForm(trimmed, out seconds, out problem))
            {
                return false;
            }
        }
        else if (!TryParseWords(trimmed, out seconds, out problem))
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

    private static bool TryParseColonForm(string text, out double seconds, out string? problem)
    {
        seconds = 0;
        var parts = text.Replace(" ", "", StringComparison.Ordinal).Split(':');
        if (parts.Length > ColonUnits.Length)
        {
            problem = "too many ':'-separated parts";
            return false;
        }

        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseNumber(parts[i], out var value))
            {
                problem = $"'{parts[i]}' is not a number";
                return false;
            }

            seconds += value * ColonUnits[parts.Length - 1 - i];
        }

        problem = null;
        return true;
    }

    private static bool TryParseWords(string text, out double seconds, out string? problem)
    {
        seconds = 0;
        double? pending = null;
        foreach (var word in SplitWords(text))
        {
            if (TryParseNumber(word, out var number))
            {
                // A number not followed by a unit counts in seconds.
                seconds += pending ?? 0;
                pending = number;
            }
            else if (UnitSeconds.TryGetValue(word, out var unit))
            {
                if (pending is null)
                {
                    problem = $"the unit '{word}' has no number before it";
                    return false;
                }

                seconds += pending.Value * unit;
                pending = null;
            }
            else if (word is not ("and" or "with" or "plus"))
            {
                problem = $"'{word}' is not a number or a unit (s, m, h, d, w, mo, y and their long forms)";
                return false;
            }
        }

        seconds += pending ?? 0;
        problem = null;
        return true;
    }

    /// <summary>Splits "1h30m, 2 days" into "1", "h", "30", "m", "2", "days".</summary>
    private static IEnumerable<string> SplitWords(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
                continue;
            }

            var start = i;
            if (char.IsAsciiDigit(c) || c == '.')
            {
                while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
                {
                    i++;
                }
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != ',' && !char.IsAsciiDigit(text[i]))
                {
                    i++;
                }
            }

            yield return text[start..i];
        }
    }

    private static bool TryParseNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}
