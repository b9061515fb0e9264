namespace Dockyard.Credentials.Sources;

/// <summary>One source of the credential chain.</summary>
internal interface ICredentialSource
{
    /// <summary>The chain step it belongs to (for turning it off).</summary>
    CredentialSourceKind Kind { get; }

    /// <summary>Its name in explanations.</summary>
    string Name { get; }

    /// <summary>The file or variable it reads, when it has one.</summary>
    string? Location { get; }

    /// <summary>
    /// Looks up a canonical registry for pushing or pulling (only the SDK variables tell the two apart; every other
    /// source stores one credential per registry); throws <see cref="Diagnostics.DockyardException"/> when the source is broken.
    /// </summary>
    Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken);
}
