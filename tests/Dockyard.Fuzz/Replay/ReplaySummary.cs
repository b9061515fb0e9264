namespace Dockyard.Fuzz.Replay;

/// <summary>What the replayed inputs of one target did.</summary>
/// <param name="Target">The target's name.</param>
public sealed record ReplaySummary(string Target)
{
    /// <summary>Inputs the parser accepted.</summary>
    public int Accepted { get; set; }

    /// <summary>Inputs the parser refused with Dockyard's clear error.</summary>
    public int Refused { get; set; }

    /// <summary>Inputs that crashed or hung the target.</summary>
    public List<ReplayFailure> Failures { get; } = [];

    /// <summary>All inputs replayed.</summary>
    public int Inputs => Accepted + Refused + Failures.Count;

    /// <summary><c>NAME: N inputs (A accepted, R refused, C crashed)</c>.</summary>
    public override string ToString() => $"{Target}: {Inputs} inputs ({Accepted} accepted, {Refused} refused, {Failures.Count} crashed)";
}
