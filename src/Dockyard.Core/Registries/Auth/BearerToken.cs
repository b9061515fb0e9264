using System.Net.Http.Headers;
using Dockyard.Diagnostics;

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

    /// <summary>
    /// The <c>Authorization: Bearer</c> header for <paramref name="token"/>, refusing a token with anything but visible
    /// ASCII (a CR/LF would split the header). <paramref name="from"/> names where the token came from, for the message.
    /// </summary>
    /// <exception cref="DockyardException">The token holds a line break, a control character, a space or non-ASCII text.</exception>
    public static AuthenticationHeaderValue Header(string token, string from)
    {
        foreach (var c in token)
            if (c is < '!' or > '~')
                throw new DockyardException($"The bearer token from {from} contains {(c is '\r' or '\n' ? "a line break" : c == ' ' ? "a space" : "a character that is not visible ASCII")}; refusing to send it. Check {from} (a token is one line of visible ASCII characters).");
        return new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>Never prints the token.</summary>
    public override string ToString() => $"bearer token valid until {ExpiresAt:O}";
}
