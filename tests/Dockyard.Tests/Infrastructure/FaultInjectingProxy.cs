using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.Infrastructure;

/// <summary>What the proxy does with one request instead of forwarding it.</summary>
public abstract record Fault
{
    /// <summary>Answer with a status (e.g. 503, or 429 with <c>Retry-After</c>).</summary>
    public sealed record Status(int Code, string? RetryAfter = null) : Fault;

    /// <summary>Drop the connection without an answer (a connection reset).</summary>
    public sealed record Reset : Fault;

    /// <summary>
    /// Forward only the first <paramref name="Bytes"/> of the body (as a complete request, so the registry keeps exactly
    /// those bytes), then drop the client's connection without an answer: a connection lost in the middle of a chunk.
    /// </summary>
    public sealed record DropAfter(long Bytes) : Fault;

    /// <summary>Answer 307 to this absolute URL.</summary>
    public sealed record Redirect(string Location) : Fault;

    /// <summary>Answer 401 with this <c>WWW-Authenticate</c> challenge (a token the registry no longer accepts).</summary>
    public sealed record Challenge(string WwwAuthenticate) : Fault;

    /// <summary>Wait <paramref name="For"/>, then forward the request (so that, e.g., its token expires on the way).</summary>
    public sealed record Delay(TimeSpan For) : Fault;

    /// <summary>
    /// Hold the request without forwarding it until <paramref name="Until"/> completes, then drop the connection: an
    /// upload in flight that never reaches the registry (the client is killed meanwhile).
    /// </summary>
    public sealed record Stall(Task Until) : Fault;
}

/// <summary>A request seen by the proxy.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path and query.</param>
/// <param name="Authorization">The <c>Authorization</c> header, if any.</param>
/// <param name="Host">The port the request came in on (proxy or storage).</param>
public sealed record ProxiedRequest(string Method, string PathAndQuery, string? Authorization, int Host);

/// <summary>
/// A loopback HTTP proxy (Kestrel) in front of a real <see cref="RegistryServer"/> that forwards every request
/// (keeping the <c>Host</c> header, so the registry's <c>Location</c> URLs point back at the proxy) unless a rule
/// injects a fault: a status such as 503/429, a connection reset, a redirect, a 401 challenge, a delay or a stall. It also serves a second port,
/// <see cref="StorageUrl"/>, standing for blob storage on another host: <c>/blob/&lt;repo&gt;/&lt;digest&gt;</c>
/// streams the blob from the registry and records whether <c>Authorization</c> reached it.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly RegistryServer _registry;
    private readonly Func<HttpRequest, int, Fault?> _rule;
    private readonly ConcurrentDictionary<string, int> _counts = new();

    private FaultInjectingProxy(WebApplication app, RegistryServer registry, Func<HttpRequest, int, Fault?> rule)
    {
        _app = app;
        _registry = registry;
        _rule = rule;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary><c>127.0.0.1:PORT</c> of the proxy (use it as the registry in references).</summary>
    public string Host { get; private set; } = "";

    /// <summary>The base URL of the "other host" blob storage, <c>http://localhost:PORT/</c>.</summary>
    public string StorageUrl { get; private set; } = "";

    /// <summary>Every request seen, on either port.</summary>
    public ConcurrentQueue<ProxiedRequest> Requests { get; } = new();

    /// <summary>
    /// Starts a proxy for <paramref name="registry"/> (plain HTTP only). <paramref name="rule"/> gets each request and
    /// how many earlier requests had the same method and path (0 for the first), and returns a fault or <c>null</c> to forward.
    /// </summary>
    public static async Task<FaultInjectingProxy> StartAsync(RegistryServer registry, Func<HttpRequest, int, Fault?> rule)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.Listen(IPAddress.Loopback, 0);
            k.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var proxy = new FaultInjectingProxy(app, registry, rule);
        app.Run(proxy.HandleAsync);
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        proxy.Host = $"127.0.0.1:{addresses[0].Port}";
        proxy.StorageUrl = $"http://localhost:{addresses[1].Port}/";
        return proxy;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var port = context.Connection.LocalPort;
        Requests.Enqueue(new ProxiedRequest(request.Method, request.Path + request.QueryString, request.Headers.Authorization.FirstOrDefault(), port));
        if ($"127.0.0.1:{port}" != Host)
        {
            await ServeStorageAsync(context);
            return;
        }
        var key = $"{request.Method} {request.Path}";
        var seen = _counts.AddOrUpdate(key, 0, (_, n) => n + 1);
        switch (_rule(request, seen))
        {
            case Fault.Status status:
                context.Response.StatusCode = status.Code;
                if (status.RetryAfter is not null) context.Response.Headers.RetryAfter = status.RetryAfter;
                return;
            case Fault.Reset:
                context.Abort();
                return;
            case Fault.DropAfter drop:
                await ForwardAsync(context, new Uri(_registry.Url, request.Path.Value!.TrimStart('/') + request.QueryString), keepHost: true, drop.Bytes);
                context.Abort();
                return;
            case Fault.Redirect redirect:
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = redirect.Location;
                return;
            case Fault.Challenge challenge:
                context.Response.StatusCode = 401;
                context.Response.Headers.WWWAuthenticate = challenge.WwwAuthenticate;
                return;
            case Fault.Delay delay:
                await Task.Delay(delay.For, context.RequestAborted);
                break;
            case Fault.Stall stall:
                await stall.Until.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
        }
        await ForwardAsync(context, new Uri(_registry.Url, request.Path.Value!.TrimStart('/') + request.QueryString), keepHost: true);
    }

    private async Task ServeStorageAsync(HttpContext context)
    {
        // /blob/<repository...>/<digest>: fetch from the registry with the storage's own access (the registry's test user), never the client's.
        var path = context.Request.Path.Value!;
        var last = path.LastIndexOf('/');
        var repository = path["/blob/".Length..last];
        var digest = path[(last + 1)..];
        await ForwardAsync(context, new Uri(_registry.Url, $"v2/{repository}/blobs/{digest}"), keepHost: false);
    }

    private async Task ForwardAsync(HttpContext context, Uri target, bool keepHost, long? bodyBytes = null)
    {
        var request = context.Request;
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0) message.Content = new StreamContent(request.Body);
        foreach (var (name, values) in request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) continue;
            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray())) message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
        }
        if (keepHost) message.Headers.Host = request.Host.Value;
        else if (_registry.Username is not null)
            message.Headers.Authorization = new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{_registry.Username}:{_registry.Password}")));
        if (request.Method is "POST" or "PUT" or "PATCH" && message.Content is null) message.Content = new ByteArrayContent([]);
        if (bodyBytes is { } first)
        {
            var head = new byte[first];
            await request.Body.ReadExactlyAsync(head, context.RequestAborted);
            var partial = new ByteArrayContent(head);
            foreach (var (name, values) in message.Content!.Headers.Where(h => h.Key != "Content-Length").ToList()) partial.Headers.TryAddWithoutValidation(name, values);
            message.Content = partial;
        }
        using var response = await _upstream.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        if (request.Method != "HEAD") await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>Stops the proxy.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }
}
