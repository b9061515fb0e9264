using Dockyard.Diagnostics;

namespace Dockyard.Credentials.Sources;

/// <summary>Credentials the front was given; the first for this registry (or for every registry) wins.</summary>
internal sealed class ExplicitCredentialSource(IReadOnlyList<ExplicitCredential> credentials) : ICredentialSource
{
    public CredentialSourceKind Kind => CredentialSourceKind.Explicit;

    public string Name => "explicit credentials";

    public string? Location => null;

    public Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        if (credentials.Count == 0)
        {
            return Task.FromResult(SourceAnswer.Absent("none given to this front"));
        }

        foreach (var given in credentials)
        {
            if (given.Registry is not null && RegistryName.Canonicalize(given.Registry) != registry)
            {
                continue;
            }

            var scope = given.Registry is null ? "for every registry" : $"for {RegistryName.Canonicalize(given.Registry)}";
            if (string.IsNullOrEmpty(given.Username) || string.IsNullOrEmpty(given.Password))
            {
                throw new DockyardException(
                    $"Explicit credentials {scope} have an empty {(string.IsNullOrEmpty(given.Username) ? "user name" : "password")}. " +
                    "Give both a user name and a password or token (or none at all).");
            }

            var credential = new RegistryCredential(given.Username, given.Password, null, null, $"explicit credentials {scope}");
            return Task.FromResult(SourceAnswer.Answered(credential, $"given {scope}"));
        }

        var others = string.Join(", ", credentials.Select(c => RegistryName.Canonicalize(c.Registry!)).Distinct());
        return Task.FromResult(SourceAnswer.NoMatch($"given only for {others}"));
    }
}
