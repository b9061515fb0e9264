using System.Globalization;
using System.Text;
using Dockyard.Jobs.Scheduling;

namespace Dockyard.Jobs.Reports;

/// <summary>The table printed at the end of a run: job, stage, status, duration, exit code (and why a job did not run).</summary>
public static class RunSummaryWriter
{
    /// <summary>The table for <paramref name="result"/>.</summary>
    public static string Write(RunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.NoPipelineReason is { } reason) return $"No pipeline: {reason}; nothing ran.\n";
        string[] header = ["JOB", "STAGE", "STATUS", "DURATION", "EXIT", "NOTE"];
        var rows = result.Jobs.Select(j => new[]
        {
            j.Name, j.Stage, j.Status == JobStatus.Failed && j.AllowedToFail ? "failed (allowed)" : j.StatusName,
            Duration(j.Duration), j.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
            (j.Attempts > 1 ? $"{j.Attempts.ToString(CultureInfo.InvariantCulture)} attempts; " : "") + (j.FailureReason ?? ""),
        }).ToList();
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        void Row(string[] cells) => text.Append(string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Row(header);
        foreach (var row in rows) Row(row);
        text.Append(result.Failed ? "Pipeline failed" : "Pipeline passed").Append(" in ").Append(Duration(result.Duration)).Append('\n');
        return text.ToString();
    }

    /// <summary>A duration as <c>1.2s</c> or <c>3m04s</c>.</summary>
    public static string Duration(TimeSpan value) => value < TimeSpan.FromMinutes(1)
        ? value.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : $"{((int)value.TotalMinutes).ToString(CultureInfo.InvariantCulture)}m{value.Seconds.ToString("00", CultureInfo.InvariantCulture)}s";
}
