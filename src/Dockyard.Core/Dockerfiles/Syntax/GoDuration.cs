using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>Parses Go duration strings (<c>30s</c>, <c>1m30s</c>, <c>1.5h</c>, <c>500ms</c>) as HEALTHCHECK takes them.</summary>
internal static partial class GoDuration
{
    [GeneratedRegex(@"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")]
    private static partial Regex Part();

    public static TimeSpan? TryParse(string text)
    {
        if (text == "0") return TimeSpan.Zero;
        var matches = Part().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length || matches[0].Index != 0) return null;
        double ticks = 0;
        foreach (Match match in matches)
        {
            var number = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += number * match.Groups[2].Value switch
            {
                "ns" => 0.01,
                "us" or "µs" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }
        return TimeSpan.FromTicks((long)ticks);
    }
}
