using Dockyard.Credentials.Explanation;

namespace Dockyard.Credentials.Sources;

/// <summary>What one source said for a registry: its outcome, why, and the credential when it answered.</summary>
internal sealed record SourceAnswer(CredentialTraceOutcome Outcome, string Detail, RegistryCredential? Credential = null)
{
    public static SourceAnswer Absent(string detail) => new(CredentialTraceOutcome.Absent, detail);

    public static SourceAnswer NoMatch(string detail) => new(CredentialTraceOutcome.NoMatch, detail);

    public static SourceAnswer Answered(RegistryCredential credential, string detail) =>
        new(CredentialTraceOutcome.Answered, detail, credential);
}
