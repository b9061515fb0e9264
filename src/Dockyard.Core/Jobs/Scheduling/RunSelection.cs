namespace Dockyard.Jobs.Scheduling;

/// <summary>Which jobs a run covers.</summary>
public sealed class RunSelection
{
    /// <summary>Jobs named on the command line (a parallel job's base name selects every instance).</summary>
    public IReadOnlyList<string> Jobs { get; init; } = [];

    /// <summary>Every job of this stage, or null.</summary>
    public string? Stage { get; init; }

    /// <summary>Every job GitLab would create.</summary>
    public bool Pipeline { get; init; }

    /// <summary><c>when: manual</c> jobs to run (otherwise listed as manual, not run).</summary>
    public IReadOnlyList<string> Manual { get; init; } = [];

    /// <summary>Also run, first, what the selected jobs need (transitively).</summary>
    public bool Needs { get; init; }
}
