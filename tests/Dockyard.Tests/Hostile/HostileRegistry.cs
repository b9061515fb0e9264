using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// A registry that misbehaves on purpose (Kestrel on a free loopback port, plain HTTP): every request goes to the
/// test's handler, which can stream an endless body, announce gigabytes, hand out a token with a CR/LF, or ask for a
/// <c>Retry-After</c> of days. <see cref="EndlessAsync"/> and friends are the common behaviours.
/// </summary>
public sealed class HostileRegistry : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _bytesSent;

    private HostileRegistry(WebApplication app) => _app = app;

    /// <summary><c>127.0.0.1:PORT</c>, usable as the registry part of a reference.</summary>
    public string Host { get; private set; } = "";

    /// <summary>Every request as <c>METHOD path</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Bytes of body written by <see cref="EndlessAsync"/> so far (proves the client stopped reading).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Starts the server; <paramref name="handler"/> answers every request.</summary>
    public static async Task<HostileRegistry> StartAsync(Func<HostileRegistry, HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var registry = new HostileRegistry(app);
        app.Run(async context =>
        {
            registry.Requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            try { await handler(registry, context); }
            catch (OperationCanceledException) { }
            catch (IOException) { }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        registry.Host = new Uri(address).Authority;
        return registry;
    }

    /// <summary>Answers with <paramref name="status"/> and a body that never ends (until the client hangs up), optionally announcing <paramref name="contentLength"/>.</summary>
    public async Task EndlessAsync(HttpContext context, int status, string contentType, long? contentLength = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        if (contentLength is { } length) context.Response.ContentLength = length;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'{');
        while (!context.RequestAborted.IsCancellationRequested)
        {
            await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            Interlocked.Add(ref _bytesSent, chunk.Length);
        }
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
