using System.Text;

namespace Dockyard.Registries.Auth;

/// <summary>
/// One challenge of a <c>WWW-Authenticate</c> header (RFC 7235 / RFC 6750): a scheme (<c>Basic</c>, <c>Bearer</c>)
/// and its parameters (realm, service, scope, error). Scheme and parameter names are case-insensitive.
/// </summary>
public sealed class AuthChallenge
{
    private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    /// <summary>The scheme, lower-case (<c>basic</c>, <c>bearer</c>).</summary>
    public string Scheme { get; }

    /// <summary>The parameters by lower-case name, values unquoted.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>Whether this is a Bearer (token) challenge.</summary>
    public bool IsBearer => Scheme == "bearer";

    /// <summary>Whether this is a Basic challenge.</summary>
    public bool IsBasic => Scheme == "basic";

    /// <summary>The token service URL (Bearer) or protection space (Basic).</summary>
    public string? Realm => Parameters.GetValueOrDefault("realm");

    /// <summary>The token audience (Bearer).</summary>
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The scopes named by the challenge (one parameter, space-separated).</summary>
    public IReadOnlyList<string> Scopes =>
        Parameters.TryGetValue("scope", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The RFC 6750 error code, e.g. <c>insufficient_scope</c> or <c>invalid_token</c>.</summary>
    public string? Error => Parameters.GetValueOrDefault("error");

    /// <summary>Whether the registry said the token lacks a needed scope.</summary>
    public bool IsInsufficientScope => string.Equals(Error, "insufficient_scope", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses every challenge of every <c>WWW-Authenticate</c> header line; malformed parts are skipped.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(IEnumerable<string> headerValues)
    {
        var result = new List<AuthChallenge>();
        foreach (var value in headerValues) ParseOne(value, result);
        return result;
    }

    /// <summary>Parses one header value, which may hold several comma-separated challenges.</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string headerValue) => Parse([headerValue]);

    private static void ParseOne(string s, List<AuthChallenge> into)
    {
        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            SkipSeparators(s, ref i);
            if (i >= s.Length) break;
            var token = ReadToken(s, ref i);
            if (token.Length == 0)
            {
                if (s[i] == '"') ReadQuoted(s, ref i); else i++;
                continue;
            }
            var afterToken = i;
            SkipSpaces(s, ref i);
            if (i < s.Length && s[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpaces(s, ref i);
                var value = i < s.Length && s[i] == '"' ? ReadQuoted(s, ref i) : ReadToken(s, ref i);
                parameters[token.ToLowerInvariant()] = value;
            }
            else if (i < s.Length && s[i] == '=' && scheme is null)
            {
                // A parameter before any scheme: malformed, skip it.
                i++;
                SkipSpaces(s, ref i);
                if (i < s.Length && s[i] == '"') ReadQuoted(s, ref i); else ReadToken(s, ref i);
            }
            else
            {
                // A new scheme (token68 forms are not used by registries).
                if (scheme is not null) into.Add(new AuthChallenge(scheme, parameters));
                scheme = token.ToLowerInvariant();
                parameters = new Dictionary<string, string>(StringComparer.Ordinal);
                i = afterToken;
            }
        }
        if (scheme is not null) into.Add(new AuthChallenge(scheme, parameters));
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t')) i++;
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t' || s[i] == ',')) i++;
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"')) i++;
        return s[start..i];
    }

    private static string ReadQuoted(string s, ref int i)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (i < s.Length && s[i] != '"')
        {
            if (s[i] == '\\' && i + 1 < s.Length) i++;
            sb.Append(s[i]);
            i++;
        }
        if (i < s.Length) i++; // closing quote
        return sb.ToString();
    }

    /// <summary>Formats the challenge for diagnostics (parameters sorted, values quoted).</summary>
    public override string ToString() =>
        $"{Scheme} {string.Join(",", Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}=\"{p.Value}\""))}";
}
