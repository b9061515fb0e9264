namespace Dockyard.Builders.Processes;

/// <summary>How a tool run ended: its exit code and its last output lines (stdout and stderr interleaved, masked).</summary>
/// <param name="ExitCode">The exit code (-1 when killed after its timeout).</param>
/// <param name="LastLines">The last output lines, secrets masked.</param>
/// <param name="TimedOut">Whether the tool was killed after its timeout.</param>
internal sealed record ToolResult(int ExitCode, IReadOnlyList<string> LastLines, bool TimedOut)
{
    /// <summary>Whether the tool exited with 0.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last <paramref name="count"/> lines, indented, for an error message.</summary>
    public string Tail(int count = 20) =>
        LastLines.Count == 0 ? "  (no output)" : string.Join('\n', LastLines.TakeLast(count).Select(l => "  " + l));
}
