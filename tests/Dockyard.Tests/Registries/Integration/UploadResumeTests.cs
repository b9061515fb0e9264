using Dockyard.Diagnostics;
using Dockyard.Registries;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>
/// A chunked upload (11 MiB + 123 B in 5 MiB chunks = 3 PATCHes) through a fault-injecting proxy in front of the real
/// registry continues in the same session after a refused or broken chunk; the blob is pulled back and compared.
/// </summary>
public sealed class UploadResumeTests
{
    private static readonly TestBlob Blob = TestImages.Create("resume", randomLayerBytes: 11 * 1024 * 1024 + 123, busybox: false, seed: 7).Layers[^1];

    private sealed record Run(FaultInjectingProxy Proxy, List<TransferProgress> Events)
    {
        public int Count(string method, Func<string, bool>? path = null) =>
            Proxy.Requests.Count(r => r.Method == method && r.PathAndQuery.Contains("/blobs/uploads/") && (path?.Invoke(r.PathAndQuery) ?? true));

        public List<long> Resumes => Events.Where(e => e.Kind == TransferEventKind.BlobResumed).Select(e => e.Bytes).ToList();
    }

    private static async Task<Run> PushAsync(RegistryServer registry, FaultInjectingProxy proxy, int maxRetries = 1)
    {
        var events = new List<TransferProgress>();
        var options = new RegistryClientOptions
        {
            ChunkSize = 1024 * 1024, MaxRetries = maxRetries, RetryBaseDelay = TimeSpan.FromMilliseconds(10),
            Progress = new SynchronousProgress<TransferProgress>(e => { lock (events) events.Add(e); }),
        };
        using var client = registry.CreateClient(options);
        var repo = TestNames.Repository("resume");
        Assert.Equal(BlobPushOutcome.Uploaded, await client.PushBlobAsync(ImageReference.Parse($"{proxy.Host}/{repo}"), Blob.ToPush()));
        using var direct = registry.CreateClient();
        Assert.Equal(Blob.Bytes, await direct.GetBlobBytesAsync(registry.Reference(repo), Blob.Descriptor));
        return new Run(proxy, events);
    }

    private static bool IsPatch(Microsoft.AspNetCore.Http.HttpRequest request) =>
        request.Method == "PATCH" && request.Path.Value!.Contains("/blobs/uploads/");

    [Fact]
    public async Task A_416_on_the_second_chunk_asks_the_session_and_continues_from_the_registry_offset()
    {
        await using var registry = await RegistryServer.StartAsync();
        var patches = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            IsPatch(request) && Interlocked.Increment(ref patches) == 2 ? new Fault.Status(416) : null);

        var run = await PushAsync(registry, proxy);

        Assert.Equal(1, run.Count("POST"));
        Assert.Equal(1, run.Count("GET"));
        Assert.Equal(4, run.Count("PATCH"));
        Assert.Equal([5L << 20], run.Resumes);
    }

    [Theory]
    [InlineData("reset")]
    [InlineData("503")]
    public async Task A_chunk_that_keeps_failing_past_its_retries_resumes_in_the_same_session(string fault)
    {
        await using var registry = await RegistryServer.StartAsync();
        var patches = 0;
        // PATCH 2 and its one retry fail before reaching the registry; the status GET says 5 MiB are there.
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            IsPatch(request) && Interlocked.Increment(ref patches) is 2 or 3 ? (fault == "reset" ? new Fault.Reset() : new Fault.Status(503)) : null);

        var run = await PushAsync(registry, proxy, maxRetries: 1);

        Assert.Equal(1, run.Count("POST"));
        Assert.Equal(1, run.Count("GET"));
        Assert.Equal(5, run.Count("PATCH"));
        Assert.Equal([5L << 20], run.Resumes);
        var resumed = Assert.Single(run.Events, e => e.Kind == TransferEventKind.BlobResumed);
        if (fault == "503") Assert.Contains("HTTP 503", resumed.Message);
        else Assert.DoesNotContain("HTTP", resumed.Message);
    }

    [Fact]
    public async Task A_connection_lost_in_the_middle_of_a_chunk_ends_in_one_new_session_on_the_reference_registry()
    {
        await using var registry = await RegistryServer.StartAsync();
        var patches = 0;
        // The registry keeps 1 MiB of PATCH 2 but the client never hears back. The reference registry binds the offset
        // into the signed _state of the Location it gave for PATCH 2, so that Location is stale: its status GET answers
        // 404 BLOB_UPLOAD_INVALID (and the registry cancels the session). The upload restarts once, in a new session.
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            IsPatch(request) && Interlocked.Increment(ref patches) == 2 ? new Fault.DropAfter(1 << 20) : null);

        var run = await PushAsync(registry, proxy, maxRetries: 1);

        Assert.Equal(2, run.Count("POST"));
        Assert.Equal(1, run.Count("GET"));
        Assert.Empty(run.Resumes);
        var retry = Assert.Single(run.Events, e => e.Kind == TransferEventKind.Retrying && e.Message!.Contains("starting a new session"));
        Assert.Contains("BLOB_UPLOAD_INVALID", retry.Message);
    }

    [Fact]
    public async Task A_session_the_registry_forgot_is_replaced_by_one_new_session()
    {
        await using var registry = await RegistryServer.StartAsync();
        var patches = 0;
        var statuses = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            IsPatch(request) && Interlocked.Increment(ref patches) == 2 ? new Fault.Status(416)
            : request.Method == "GET" && request.Path.Value!.Contains("/blobs/uploads/") && Interlocked.Increment(ref statuses) == 1 ? new Fault.Status(404)
            : null);

        var run = await PushAsync(registry, proxy);

        Assert.Equal(2, run.Count("POST"));
        Assert.Equal(1, run.Count("GET"));
        Assert.Empty(run.Resumes);
        Assert.Equal(2 + 3, run.Count("PATCH"));
    }

    [Fact]
    public async Task Resumes_are_bounded_and_end_in_one_clear_error_without_a_new_session()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, seen) =>
            IsPatch(request) ? new Fault.Status(416) : null);
        using var client = registry.CreateClient(new RegistryClientOptions { ChunkSize = 1, MaxRetries = 1, MaxUploadResumes = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(10) });

        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            client.PushBlobAsync(ImageReference.Parse($"{proxy.Host}/{TestNames.Repository("resume")}"), Blob.ToPush()));

        Assert.Contains(Blob.Descriptor.Digest, error.Message);
        Assert.Contains("gave up after 2 resumes", error.Message);
        Assert.Contains("HTTP 416", error.Message);
        Assert.Equal(1, proxy.Requests.Count(r => r.Method == "POST"));
        Assert.Equal(3, proxy.Requests.Count(r => r.Method == "PATCH"));
    }
}
