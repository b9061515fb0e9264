namespace Dockyard.Credentials.Explanation;

/// <summary>One consulted (or skipped) source of the chain, without any secret.</summary>
/// <param name="Kind">Which step of the chain this source belongs to.</param>
/// <param name="Source">The source's name, e.g. <c>docker config file</c>.</param>
/// <param name="Location">The file or variable it reads, when it has one.</param>
/// <param name="Outcome">What it did.</param>
/// <param name="Detail">Why: the key or helper that answered, or why nothing matched.</param>
public sealed record CredentialTraceStep(
    CredentialSourceKind Kind, string Source, string? Location, CredentialTraceOutcome Outcome, string Detail);
