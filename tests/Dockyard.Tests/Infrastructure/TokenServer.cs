using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.Infrastructure;

/// <summary>One request the token server answered.</summary>
/// <param name="Method">GET or POST.</param>
/// <param name="Account">The <c>account</c> query parameter (GET) or user of the Basic header.</param>
/// <param name="Authenticated">Whether valid credentials (or a valid refresh token) came with it.</param>
/// <param name="Scopes">The scopes asked for.</param>
/// <param name="Status">The HTTP status answered.</param>
public sealed record TokenRequest(string Method, string? Account, bool Authenticated, IReadOnlyList<string> Scopes, int Status);

/// <summary>
/// A token service in the test process (Kestrel on a free loopback port) that behaves like GitLab's <c>/jwt/auth</c>:
/// GET with HTTP Basic, repeated and space-separated <c>scope</c> parameters, <c>{"token": …}</c> without
/// <c>expires_in</c>, 401 for bad credentials, read-only for anonymous callers, and 404 for POST unless OAuth2 is
/// switched on. Tokens are real RS256 JWTs with an <c>x5c</c> header, signed by a self-signed certificate that the
/// registry trusts through <c>rootcertbundle</c> (distribution 2.8 verifies the x5c chain against that bundle).
/// </summary>
public sealed class TokenServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Certificate2 _signer;
    private int _issued;

    private TokenServer(WebApplication app, X509Certificate2 signer, TokenServerOptions options)
    {
        _app = app;
        _signer = signer;
        Options = options;
    }

    /// <summary>The settings.</summary>
    public TokenServerOptions Options { get; }

    /// <summary>The realm URL the registry sends in its challenge (<c>http://127.0.0.1:PORT/jwt/auth</c>).</summary>
    public string Realm { get; private set; } = "";

    /// <summary>The PEM of the signing certificate (the registry's <c>rootcertbundle</c>).</summary>
    public string SigningCertificatePem => _signer.ExportCertificatePem();

    /// <summary>Every request answered, in order.</summary>
    public ConcurrentQueue<TokenRequest> Requests { get; } = new();

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Volatile.Read(ref _issued);

    /// <summary>Every token issued (to prove none leaks into output).</summary>
    public ConcurrentQueue<string> Tokens { get; } = new();

    /// <summary>Starts the server.</summary>
    public static async Task<TokenServer> StartAsync(TokenServerOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TokenServer(app, TestCertificateAuthority.CreateTokenSigningCertificate(), options);
        app.MapGet("/jwt/auth", (Delegate)server.HandleGet);
        app.MapPost("/jwt/auth", (Delegate)server.HandlePostAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Realm = address.TrimEnd('/') + "/jwt/auth";
        return server;
    }

    private IResult HandleGet(HttpContext context)
    {
        var scopes = context.Request.Query["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var account = context.Request.Query["account"].FirstOrDefault();
        var header = context.Request.Headers.Authorization.FirstOrDefault();
        var authenticated = false;
        if (header is not null && header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':');
            var (user, password) = colon < 0 ? (decoded, "") : (decoded[..colon], decoded[(colon + 1)..]);
            authenticated = user == Options.Username && (password == Options.Password || (Options.RefreshToken is not null && password == Options.RefreshToken));
            account ??= user;
            if (!authenticated) return Unauthorized("GET", account, scopes);
        }
        return Issue("GET", account, authenticated, scopes, asAccessToken: false);
    }

    private async Task<IResult> HandlePostAsync(HttpContext context)
    {
        if (!Options.AcceptOAuthPost)
        {
            Requests.Enqueue(new TokenRequest("POST", null, false, [], 404));
            return Results.NotFound();
        }
        var form = await context.Request.ReadFormAsync();
        var scopes = form["scope"].SelectMany(s => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var authenticated = form["grant_type"] == "refresh_token" && Options.RefreshToken is not null && form["refresh_token"] == Options.RefreshToken
            || form["grant_type"] == "password" && form["username"] == Options.Username && form["password"] == Options.Password;
        if (!authenticated) return Unauthorized("POST", form["username"].FirstOrDefault(), scopes);
        if (form["service"] != Options.Service || string.IsNullOrEmpty(form["client_id"]))
        {
            Requests.Enqueue(new TokenRequest("POST", null, true, scopes, 400));
            return Results.BadRequest();
        }
        return Issue("POST", Options.Username, true, scopes, asAccessToken: true);
    }

    private IResult Unauthorized(string method, string? account, IReadOnlyList<string> scopes)
    {
        Requests.Enqueue(new TokenRequest(method, account, false, scopes, 401));
        return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "HTTP Basic: Access denied" } } }, statusCode: 401);
    }

    private IResult Issue(string method, string? account, bool authenticated, IReadOnlyList<string> scopes, bool asAccessToken)
    {
        var access = new JsonArray();
        foreach (var scope in scopes)
        {
            var lastColon = scope.LastIndexOf(':');
            var firstColon = scope.IndexOf(':');
            if (firstColon < 0 || lastColon <= firstColon) continue;
            var type = scope[..firstColon];
            var name = scope[(firstColon + 1)..lastColon];
            var wanted = scope[(lastColon + 1)..].Split(',');
            // Like GitLab: unauthorised actions are dropped silently (anonymous callers may only pull).
            var granted = wanted.Where(a => authenticated ? !(Options.DropScope?.Invoke(scopes, $"{type}:{name}:{a}") ?? false) : a == "pull" && Options.AnonymousPull).ToArray();
            if (granted.Length > 0) access.Add(new JsonObject { ["type"] = type, ["name"] = name, ["actions"] = new JsonArray(granted.Select(a => (JsonNode)a!).ToArray()) });
        }
        var token = Sign(account ?? "", access);
        Interlocked.Increment(ref _issued);
        Tokens.Enqueue(token);
        Requests.Enqueue(new TokenRequest(method, account, authenticated, scopes, 200));
        // GitLab's /jwt/auth answers only {"token": ...}: no expires_in, no issued_at.
        return asAccessToken ? Results.Json(new { access_token = token, expires_in = (int)Options.TokenLifetime.TotalSeconds }) : Results.Json(new { token });
    }

    private string Sign(string subject, JsonArray access)
    {
        var now = DateTimeOffset.UtcNow;
        // distribution accepts a token up to 60 s after "exp" (clock-skew leeway); subtract it so the lifetime is real.
        var exp = now + Options.TokenLifetime - TimeSpan.FromSeconds(60);
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "RS256", ["x5c"] = new JsonArray(Convert.ToBase64String(_signer.RawData)) };
        var claims = new JsonObject
        {
            ["iss"] = Options.Issuer, ["sub"] = subject, ["aud"] = Options.Service,
            ["exp"] = exp.ToUnixTimeSeconds(), ["nbf"] = now.AddSeconds(-5).ToUnixTimeSeconds(), ["iat"] = now.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signingInput = $"{Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString()))}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        using var rsa = _signer.GetRSAPrivateKey()!;
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _signer.Dispose();
    }
}

/// <summary>Settings of a <see cref="TokenServer"/>.</summary>
public sealed record TokenServerOptions
{
    /// <summary>The only user accepted.</summary>
    public string Username { get; init; } = "ci-user";

    /// <summary>Its password (a test value).</summary>
    public string Password { get; init; } = "token-server-password-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A refresh (identity) token accepted by OAuth2 POST and as a Basic password, or <c>null</c>.</summary>
    public string? RefreshToken { get; init; }

    /// <summary>Whether POST (OAuth2) is served; GitLab answers 404.</summary>
    public bool AcceptOAuthPost { get; init; }

    /// <summary>Whether anonymous callers get pull access.</summary>
    public bool AnonymousPull { get; init; } = true;

    /// <summary>How long tokens really live (the JWT's exp, compensating the registry's 60 s leeway).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Decides, from all scopes of a request, whether to drop one <c>type:name:action</c> from the token even for the
    /// authenticated user (GitLab drops access to projects a job token may not read, without an error).
    /// </summary>
    public Func<IReadOnlyList<string>, string, bool>? DropScope { get; init; }

    /// <summary>The token audience (the registry's <c>service</c>).</summary>
    public string Service { get; init; } = "container_registry";

    /// <summary>The token issuer.</summary>
    public string Issuer { get; init; } = "dockyard-test-issuer";
}
