using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.Infrastructure;

/// <summary>One request the stand-in answered: the raw target and which token headers came with it.</summary>
/// <param name="Target">The request target as sent (path and query, percent-encoding kept).</param>
/// <param name="PrivateToken">The <c>PRIVATE-TOKEN</c> header, or null.</param>
/// <param name="JobToken">The <c>JOB-TOKEN</c> header, or null.</param>
/// <param name="Status">The status answered.</param>
public sealed record GitLabApiRequest(string Target, string? PrivateToken, string? JobToken, int Status);

/// <summary>
/// A stand-in for a GitLab instance's API on loopback (Kestrel, free port), answering only with recorded responses:
/// <c>Pipelines/Includes/GitLabApi/responses.tsv</c> maps a raw request target (as GitLab's own clients send it:
/// <c>/api/v4/projects/group%2Fapp/repository/files/ci%2Fx.yml/raw?ref=v1</c>) to a status and a body file of that folder.
/// Like GitLab for a private project, every <c>/api/v4/projects/…</c> request needs the <c>PRIVATE-TOKEN</c> or
/// <c>JOB-TOKEN</c> it was started with (else 401 <c>{"message":"401 Unauthorized"}</c>); templates and
/// <c>/remote/…</c> files are public; anything not recorded is GitLab's 404 <c>{"message":"404 Not Found"}</c>.
/// Placeholders <c>{{url}}</c> and <c>{{host}}</c> in bodies become the stand-in's address.
/// </summary>
public sealed class GitLabApiStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Dictionary<string, (int Status, string File)> _responses;
    private readonly string? _privateToken;
    private readonly string? _jobToken;

    private GitLabApiStandIn(WebApplication app, Dictionary<string, (int, string)> responses, string? privateToken, string? jobToken)
    {
        _app = app;
        _responses = responses;
        _privateToken = privateToken;
        _jobToken = jobToken;
    }

    /// <summary>The folder of recorded responses (in the test output).</summary>
    public static string Recordings { get; } = Path.Combine(AppContext.BaseDirectory, "Pipelines", "Includes", "GitLabApi");

    /// <summary>The instance URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>host:port, how components of this instance start.</summary>
    public string Host => new Uri(Url).Authority;

    /// <summary>Every request, in order.</summary>
    public ConcurrentQueue<GitLabApiRequest> Requests { get; } = new();

    /// <summary>Starts the stand-in accepting <paramref name="privateToken"/> and/or <paramref name="jobToken"/>.</summary>
    public static async Task<GitLabApiStandIn> StartAsync(string? privateToken, string? jobToken = null)
    {
        var responses = new Dictionary<string, (int, string)>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(Recordings, "responses.tsv")))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            if (parts.Length != 3) throw new InvalidDataException($"responses.tsv: '{line}' is not TARGET<TAB>STATUS<TAB>FILE");
            responses[parts[0]] = (int.Parse(parts[1]), parts[2]);
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var standIn = new GitLabApiStandIn(app, responses, privateToken, jobToken);
        app.Run(standIn.HandleAsync);
        await app.StartAsync();
        standIn.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return standIn;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var privateToken = context.Request.Headers["PRIVATE-TOKEN"].FirstOrDefault();
        var jobToken = context.Request.Headers["JOB-TOKEN"].FirstOrDefault();
        var authorized = (_privateToken is not null && privateToken == _privateToken) || (_jobToken is not null && jobToken == _jobToken);
        var (status, body) = context.Request.Method != "GET" ? (405, "{\"message\":\"405 Method Not Allowed\"}")
            : target.StartsWith("/api/v4/projects/", StringComparison.Ordinal) && !authorized ? (401, "{\"message\":\"401 Unauthorized\"}")
            : _responses.TryGetValue(target, out var recorded) ? (recorded.Status, File.ReadAllText(Path.Combine(Recordings, recorded.File)))
            : (404, "{\"message\":\"404 Not Found\"}");
        Requests.Enqueue(new GitLabApiRequest(target, privateToken, jobToken, status));
        context.Response.StatusCode = status;
        context.Response.ContentType = body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "text/plain; charset=utf-8";
        await context.Response.WriteAsync(body.Replace("{{url}}", Url, StringComparison.Ordinal).Replace("{{host}}", Host, StringComparison.Ordinal));
    }

    /// <summary>Stops the server (its port then refuses connections).</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
