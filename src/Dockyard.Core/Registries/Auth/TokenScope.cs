namespace Dockyard.Registries.Auth;

/// <summary>Builds token scopes (<c>type:name:actions</c>, distribution's <c>scope.md</c>).</summary>
public static class TokenScope
{
    /// <summary><c>repository:&lt;name&gt;:pull</c>.</summary>
    public static string Pull(string repository) => $"repository:{repository}:pull";

    /// <summary><c>repository:&lt;name&gt;:pull,push</c> (push needs both on the reference registry).</summary>
    public static string PullPush(string repository) => $"repository:{repository}:pull,push";

    /// <summary>
    /// The direction a request with <paramref name="scopes"/> needs credentials for: push when any scope asks for
    /// <c>push</c> (or <c>*</c>, or <c>delete</c>), else pull.
    /// </summary>
    public static Credentials.RegistryAccess AccessOf(IEnumerable<string> scopes) =>
        scopes.Any(scope => scope[(scope.LastIndexOf(':') + 1)..].Split(',').Any(action => action is "push" or "*" or "delete"))
            ? Credentials.RegistryAccess.Push
            : Credentials.RegistryAccess.Pull;

    /// <summary>A canonical, sorted, de-duplicated scope set (the cache key part).</summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string> scopes) =>
        scopes.Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
}
