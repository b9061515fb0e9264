using System.Text;
using Dockyard.Registries.Auth;

namespace Dockyard.Fuzz.Targets;

/// <summary>The <c>WWW-Authenticate</c> parser: every line of the input is one header value of one 401 answer.</summary>
public sealed class AuthChallengeTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "www-authenticate";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        foreach (var challenge in AuthChallenge.Parse(Encoding.UTF8.GetString(input).Split('\n')))
        {
            _ = challenge.Realm;
            _ = challenge.Service;
            _ = challenge.Scopes;
            _ = challenge.IsInsufficientScope;
            _ = challenge.ToString();
        }
    }
}
