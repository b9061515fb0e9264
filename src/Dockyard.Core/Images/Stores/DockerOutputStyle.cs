using System.Globalization;

namespace Dockyard.Images.Stores;

/// <summary>Sizes, ages and tables printed the way the docker CLI prints them (go-units and tabwriter rules): <c>image ls</c> and a job's <c>docker images</c>.</summary>
public static class DockerOutputStyle
{
    private static readonly string[] Units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];

    /// <summary>A decimal size with three significant digits: <c>4.26MB</c>, <c>512B</c>.</summary>
    public static string Size(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1) { value /= 1000; unit++; }
        return value.ToString("G3", CultureInfo.InvariantCulture) + Units[unit];
    }

    /// <summary>How long ago, in docker's words: <c>About a minute ago</c>, <c>3 days ago</c>, <c>55 years ago</c>.</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now)
    {
        var d = now - time;
        var seconds = (long)d.TotalSeconds;
        var minutes = (long)d.TotalMinutes;
        var hours = (long)(d.TotalHours + 0.5);
        var text = seconds < 1 ? "Less than a second"
            : seconds == 1 ? "1 second"
            : seconds < 60 ? $"{seconds} seconds"
            : minutes == 1 ? "About a minute"
            : minutes < 60 ? $"{minutes} minutes"
            : hours == 1 ? "About an hour"
            : hours < 48 ? $"{hours} hours"
            : hours < 24 * 7 * 2 ? $"{hours / 24} days"
            : hours < 24 * 30 * 2 ? $"{hours / 24 / 7} weeks"
            : hours < 24 * 365 * 2 ? $"{hours / 24 / 30} months"
            : $"{(long)d.TotalHours / 24 / 365} years";
        return text + " ago";
    }

    /// <summary>Rows padded into columns like docker's tabwriter (minimum width 10, padding 3; the last column unpadded).</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0) return;
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => Math.Max(10, rows.Max(r => r[c].Length) + 3)).ToArray();
        foreach (var row in rows)
            output.WriteLine(string.Concat(row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))));
    }

    /// <summary>The table of <c>docker images</c>: REPOSITORY, TAG, IMAGE ID (12 hex), CREATED, SIZE.</summary>
    public static void WriteImageTable(TextWriter output, IEnumerable<LocalImageSummary> images, DateTimeOffset now) =>
        WriteTable(output, [["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"],
            .. images.Select(s => new[] { s.Repository, s.Tag, s.ImageId.Hex[..12], Ago(s.Entry.Created, now), Size(s.Size) })]);
}
