using Dockyard.Credentials;

namespace Dockyard.Hosting;

/// <summary>
/// The credentials a front was handed for its session (a CLI call's <c>--username</c>/<c>--password-stdin</c>, Cake's
/// <c>DockyardLogin</c>, MSBuild task parameters): kept in memory only, never written to a file, and asked first by the
/// credential chain of every use case (the explicit step). The latest credential for a registry replaces the older one.
/// </summary>
public sealed class SessionCredentials
{
    private readonly Lock _gate = new();
    private readonly List<ExplicitCredential> _credentials = [];

    /// <summary>Creates an empty set.</summary>
    public SessionCredentials()
    {
    }

    /// <summary>Creates a set holding <paramref name="credentials"/> (the first one for a registry wins).</summary>
    public SessionCredentials(IEnumerable<ExplicitCredential> credentials)
    {
        foreach (var credential in credentials.Reverse()) Add(credential);
    }

    /// <summary>The credentials, latest first.</summary>
    public IReadOnlyList<ExplicitCredential> All
    {
        get { lock (_gate) return _credentials.ToList(); }
    }

    /// <summary>Adds <paramref name="credential"/>, replacing the one given before for the same registry (or for every registry).</summary>
    public void Add(ExplicitCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var registry = credential.Registry is null ? null : RegistryName.Canonicalize(credential.Registry);
        lock (_gate)
        {
            _credentials.RemoveAll(c => (c.Registry is null ? null : RegistryName.Canonicalize(c.Registry)) == registry);
            _credentials.Insert(0, credential);
        }
    }
}
