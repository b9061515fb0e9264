namespace Dockyard.Fuzz.Replay;

/// <summary>An input that crashed or hung its target when replayed.</summary>
/// <param name="Target">The target's name.</param>
/// <param name="Input">The input file.</param>
/// <param name="Problem">The exception (type, message and stack) or the hang.</param>
public sealed record ReplayFailure(string Target, string Input, string Problem)
{
    /// <summary>One line per failure, then the problem indented.</summary>
    public override string ToString() => $"crash: {Target} {Input}\n    {Problem.ReplaceLineEndings("\n    ")}";
}
