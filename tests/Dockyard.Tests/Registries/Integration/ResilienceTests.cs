using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>Retries, redirects and TLS against the real registry, with faults injected by a loopback proxy.</summary>
public sealed class ResilienceTests
{

    private static RegistryClientOptions Quick(IProgress<TransferProgress>? progress = null) =>
        new() { RetryBaseDelay = TimeSpan.FromMilliseconds(20), Progress = progress, MaxParallelTransfers = 2 };

    [Fact]
    public async Task Push_survives_503_429_with_retry_after_and_connection_resets()
    {
        await using var registry = await RegistryServer.StartAsync();
        var resets = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, seen) =>
            request.Method switch
            {
                "PUT" when request.Path.Value!.Contains("/blobs/uploads/") && Interlocked.Increment(ref resets) == 1 => new Fault.Reset(),
                "POST" when seen == 0 => new Fault.Status(503),
                "PUT" when request.Path.Value!.Contains("/manifests/") && seen == 0 => new Fault.Status(429, "1"),
                "HEAD" when seen == 0 => new Fault.Status(502),
                _ => null,
            });
        var events = new List<TransferProgress>();
        using var client = registry.CreateClient(Quick(new SynchronousProgress<TransferProgress>(e => { lock (events) events.Add(e); })));
        var image = TestImages.Create("flaky", busybox: false);
        var repo = TestNames.Repository("flaky");

        await image.PushAsync(client, Dockyard.Registries.References.ImageReference.Parse($"{proxy.Host}/{repo}:1"));

        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(registry, $"{repo}:1"));
        var retries = events.Where(e => e.Kind == TransferEventKind.Retrying).Select(e => e.Message!).ToList();
        Assert.Contains(retries, m => m.Contains("503"));
        Assert.Contains(retries, m => m.Contains("429") && m.Contains("in 1 s"));
        Assert.Contains(retries, m => m.Contains("502"));
        Assert.Contains(retries, m => m.Contains("reset", StringComparison.OrdinalIgnoreCase) || m.Contains("error occurred while sending", StringComparison.OrdinalIgnoreCase));
        Assert.True(retries.Count >= 4, string.Join("\n", retries));
    }

    [Fact]
    public async Task Persistent_5xx_ends_in_one_clear_error_after_the_configured_retries()
    {
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            request.Path.Value!.Contains("/manifests/") ? new Fault.Status(500) : null);
        using var client = registry.CreateClient(Quick() with { MaxRetries = 2 });
        var reference = Dockyard.Registries.References.ImageReference.Parse($"{proxy.Host}/{TestNames.Repository("down")}:1");

        var error = await Assert.ThrowsAsync<DockyardException>(() => client.GetManifestAsync(reference));

        Assert.Contains($"Fetching manifest {reference}", error.Message);
        Assert.Contains("after 3 attempts", error.Message);
        Assert.Contains("HTTP 500", error.Message);
        Assert.Equal(3, proxy.Requests.Count(r => r.PathAndQuery.Contains("/manifests/")));
    }

    [Fact]
    public async Task Redirect_keeps_authorization_on_the_registry_host_and_drops_it_elsewhere()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Basic });
        var image = TestImages.Create("redirected basic", busybox: false);
        var repo = TestNames.Repository("redirect");
        using (var direct = registry.CreateClient()) await image.PushAsync(direct, registry.Reference($"{repo}:1"));
        FaultInjectingProxy? proxyRef = null;
        await using var proxy = proxyRef = await FaultInjectingProxy.StartAsync(registry, (request, seen) =>
            request.Method == "GET" && request.Path.Value!.Contains("/blobs/sha256:") && !request.QueryString.HasValue
                // first to the same host (must keep Authorization: the registry needs it), then to storage elsewhere.
                ? new Fault.Redirect($"http://{proxyRef!.Host}{request.Path}?hop=1")
                : request.Method == "GET" && request.QueryString.Value == "?hop=1"
                    ? new Fault.Redirect($"{proxyRef!.StorageUrl}blob/{repo}/{request.Path.Value![(request.Path.Value!.LastIndexOf('/') + 1)..]}")
                    : null);
        using var client = new RegistryClient(new StaticCredentialProvider(new(registry.Username, registry.Password, null, null, "test")), registry.ClientOptions(Quick()));
        var reference = Dockyard.Registries.References.ImageReference.Parse($"{proxy.Host}/{repo}:1");
        await client.GetManifestAsync(reference); // learns the Basic challenge

        var layer = image.Layers[0];
        Assert.Equal(layer.Bytes, await client.GetBlobBytesAsync(reference, layer.Descriptor));

        var sameHostHop = proxy.Requests.Single(r => r.PathAndQuery.EndsWith("?hop=1"));
        Assert.StartsWith("Basic ", sameHostHop.Authorization);
        Assert.All(proxy.Requests.Where(r => r.PathAndQuery.StartsWith("/blob/")), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Tls_registry_is_refused_without_its_CA_and_accepted_when_listed_insecure()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Tls = true });
        var image = TestImages.Create("tls", busybox: false);
        var repo = TestNames.Repository("tls");
        using (var trusted = registry.CreateClient()) await image.PushAsync(trusted, registry.Reference($"{repo}:1"));

        using var untrusted = new RegistryClient(registry.Credentials(), new RegistryClientOptions { CertificateDirectories = [], RetryBaseDelay = TimeSpan.FromMilliseconds(10) });
        var error = await Assert.ThrowsAsync<DockyardException>(() => untrusted.GetManifestAsync(registry.Reference($"{repo}:1")));
        Assert.Contains(registry.Host, error.Message);
        Assert.Contains("certs.d", error.Message);

        using var insecure = new RegistryClient(registry.Credentials(), new RegistryClientOptions { CertificateDirectories = [], InsecureRegistries = [registry.Host] });
        Assert.Equal(image.Manifest.Digest, (await insecure.GetManifestAsync(registry.Reference($"{repo}:1"))).Digest);
    }

    [Fact]
    public async Task Client_certificate_from_certs_d_is_presented_when_the_registry_demands_one()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Tls = true, RequireClientCertificate = true });
        var image = TestImages.Create("mtls", busybox: false);
        var repo = TestNames.Repository("mtls");
        using (var client = registry.CreateClient()) await image.PushAsync(client, registry.Reference($"{repo}:1"));
        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(registry, $"{repo}:1"));

        // The same CA but no client.cert/client.key: the registry refuses the handshake.
        using var dir = new TempDirectory("certs");
        Directory.CreateDirectory(dir.Combine(registry.Host));
        File.Copy(Path.Combine(registry.CertificatesDirectory!, registry.Host, "ca.crt"), dir.Combine(registry.Host, "ca.crt"));
        using var without = new RegistryClient(registry.Credentials(), new RegistryClientOptions { CertificateDirectories = [dir.Path], MaxRetries = 0 });
        var error = await Assert.ThrowsAsync<DockyardException>(() => without.GetManifestAsync(registry.Reference($"{repo}:1")));
        Assert.Contains(registry.Host, error.Message);
        Assert.True(error.Message.Contains("client.cert and client.key"), error.Message);
    }

    [Fact]
    public async Task Corrupted_blob_from_the_registry_is_refused()
    {
        await using var registry = await RegistryServer.StartAsync();
        var image = TestImages.Create("corrupt", busybox: false);
        var repo = TestNames.Repository("corrupt");
        using var client = registry.CreateClient(Quick() with { MaxRetries = 0 });
        await image.PushAsync(client, registry.Reference($"{repo}:1"));
        // The descriptor claims one byte less than the registry sends: the stream must not be accepted.
        var wrongSize = image.Layers[0].Descriptor with { Size = image.Layers[0].Descriptor.Size - 1 };

        var error = await Assert.ThrowsAsync<DockyardException>(() => client.GetBlobBytesAsync(registry.Reference(repo), wrongSize));
        Assert.Contains(wrongSize.Digest, error.Message);
        Assert.Equal(image.Layers[0].Bytes, await client.GetBlobBytesAsync(registry.Reference(repo), image.Layers[0].Descriptor));
    }

}
