namespace Dockyard.Registries.Auth;

/// <summary>A bearer token and the time after which it must not be used.</summary>
/// <param name="Value">The token (a secret: never log it).</param>
/// <param name="ExpiresAt">When the token expires; a token without <c>expires_in</c> counts as 60 seconds.</param>
internal sealed record BearerToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>The lifetime assumed when the token service sends no <c>expires_in</c> (distribution's token spec).</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(60);

    /// <summary>Whether the token is still usable at <paramref name="now"/>, keeping a safety margin.</summary>
    public bool IsValidAt(DateTimeOffset now) => now + TimeSpan.FromSeconds(5) < ExpiresAt;

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"bearer token valid until {ExpiresAt:O}";
}
