namespace Dockyard.Credentials;

/// <summary>A credential handed to a front (MSBuild property, Cake setting, CLI flag or stdin).</summary>
/// <param name="Registry">The registry it is for (any spelling; canonicalised), or <c>null</c> for every registry.</param>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password or access token.</param>
public sealed record ExplicitCredential(string? Registry, string Username, string Password)
{
    /// <summary>Describes the credential without its secret.</summary>
    public override string ToString() => $"{Username} for {Registry ?? "every registry"}";
}
