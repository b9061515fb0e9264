namespace Dockyard.Credentials.Explanation;

/// <summary>What one step of the chain did for a registry.</summary>
public enum CredentialTraceOutcome
{
    /// <summary>The step is turned off in the options.</summary>
    Disabled,

    /// <summary>The source does not exist (variable unset, file missing).</summary>
    Absent,

    /// <summary>The source exists but has nothing for this registry (or its helper said "not found").</summary>
    NoMatch,

    /// <summary>The source supplied the credential.</summary>
    Answered,

    /// <summary>The source is broken (malformed file, helper failed); the chain stops here.</summary>
    Failed,

    /// <summary>An earlier source answered or failed, so this one was not consulted.</summary>
    NotConsulted,
}
