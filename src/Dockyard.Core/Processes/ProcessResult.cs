namespace Dockyard.Processes;

/// <summary>How a program run ended.</summary>
/// <param name="ExitCode">The exit code (-1 when it was killed after its timeout or for endless output).</param>
/// <param name="StandardOutput">What was kept of standard output (raw: may hold a secret; never quote it unmasked).</param>
/// <param name="StandardError">What was kept of standard error (raw, like <paramref name="StandardOutput"/>).</param>
/// <param name="LastLines">The last output lines of both streams as they arrived, secrets masked.</param>
/// <param name="Duration">From start to exit.</param>
/// <param name="TimedOut">Whether the program was killed after its timeout.</param>
internal sealed record ProcessResult(
    int ExitCode, CapturedOutput StandardOutput, CapturedOutput StandardError, IReadOnlyList<string> LastLines, TimeSpan Duration, bool TimedOut)
{
    /// <summary>Whether the program was killed because one stream passed the capture cap.</summary>
    public bool KilledForOutput { get; init; }

    /// <summary>Whether a background child still held an output pipe when the program exited (reading stopped after the grace).</summary>
    public bool PipesLeftOpen { get; init; }

    /// <summary>Whether the program exited with 0 on its own.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut && !KilledForOutput;

    /// <summary>The last <paramref name="count"/> masked lines, indented, for an error message.</summary>
    public string Tail(int count = 20) =>
        LastLines.Count == 0 ? "  (no output)" : string.Join('\n', LastLines.TakeLast(count).Select(l => "  " + l));
}

/// <summary>The kept part of one output stream.</summary>
/// <param name="Text">The first bytes of the stream (up to the cap), decoded as UTF-8.</param>
/// <param name="TotalBytes">How many bytes the stream carried in all (as far as it was read).</param>
/// <param name="Truncated">Whether the stream passed the cap, so <paramref name="Text"/> is only its beginning.</param>
internal sealed record CapturedOutput(string Text, long TotalBytes, bool Truncated);
