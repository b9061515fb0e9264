using System.Globalization;
using Dockyard.Jobs.Shell;

namespace Dockyard.Jobs.Reports;

/// <summary>
/// One job's log in GitLab Runner's shape: section headers (<c>section_start:…</c>/<c>section_end:…</c> markers and
/// colours on a terminal, plain text otherwise), runner messages, and the script's lines, every one masked.
/// </summary>
public sealed class JobTrace(string job, IJobLog log, OutputMasker masker, bool color, TimeProvider clock)
{
    /// <summary>The masker applied to every line.</summary>
    public OutputMasker Masker { get; set; } = masker;

    /// <summary>A line of the script's output.</summary>
    public void Line(string text) => log.Line(job, Masker.Mask(text));

    /// <summary>A runner message (bold green on a terminal).</summary>
    public void Info(string text) => Line(color ? $"\u001b[32;1m{text}\u001b[0;m" : text);

    /// <summary>A warning (<c>WARNING: …</c>).</summary>
    public void Warning(string text) => Line(color ? $"\u001b[0;33mWARNING: {text}\u001b[0;m" : $"WARNING: {text}");

    /// <summary>An error (<c>ERROR: …</c>).</summary>
    public void Error(string text) => Line(color ? $"\u001b[31;1mERROR: {text}\u001b[0;m" : $"ERROR: {text}");

    /// <summary>Opens a section with a header.</summary>
    public void StartSection(string name, string header)
    {
        if (color) log.Line(job, $"section_start:{Now()}:{name}\r\u001b[0K\u001b[0K\u001b[36;1m{header}\u001b[0;m");
        else Line(header);
    }

    /// <summary>Closes a section.</summary>
    public void EndSection(string name)
    {
        if (color) log.Line(job, $"section_end:{Now()}:{name}\r\u001b[0K");
    }

    private string Now() => clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
