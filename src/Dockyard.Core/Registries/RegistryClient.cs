using Dockyard.Credentials.Masking;
using System.Net;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries.Auth;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.Mirrors;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;
using Dockyard.Registries.Transport;

namespace Dockyard.Registries;

/// <summary>One blob to push with a manifest: its descriptor, where its bytes come from, and optionally a repository of the same registry to mount it from.</summary>
/// <param name="Descriptor">The blob's descriptor (digest and size are checked while uploading).</param>
/// <param name="Source">The bytes.</param>
/// <param name="MountFrom">A repository on the destination registry that already has the blob, or <c>null</c>.</param>
public sealed record BlobToPush(Descriptor Descriptor, IBlobSource Source, string? MountFrom = null);

/// <summary>
/// An OCI distribution client for any registry: pulls manifests, indexes and blobs with digest verification, pushes
/// blobs (exists → mount → upload) and manifests, authenticates with Basic or bearer tokens from an
/// <see cref="ICredentialProvider"/>, retries transient failures and never forwards credentials to another host.
/// Thread-safe; dispose it to close connections.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly RegistryClientOptions _options;
    private readonly HttpClientPool _clients;
    private readonly RegistryTransport _transport;
    private readonly BlobUploader _uploader;
    private readonly SecretMasker _masker = new();
    private readonly RetryPolicy _retry;

    /// <summary>Creates a client that asks <paramref name="credentials"/> for each registry it talks to.</summary>
    public RegistryClient(ICredentialProvider credentials, RegistryClientOptions? options = null)
    {
        _options = options ?? new RegistryClientOptions();
        _options.Validate();
        if (_options.RegistriesConf is { InsecureHosts.Count: > 0 } conf)
            _options = _options with { InsecureRegistries = _options.InsecureRegistries.Concat(conf.InsecureHosts).Distinct(StringComparer.OrdinalIgnoreCase).ToArray() };
        _clients = new HttpClientPool(_options);
        var retry = _retry = new RetryPolicy(_options, _masker);
        var endpoints = new RegistryEndpoints(_clients, _options);
        var tokens = new TokenService(_clients, retry, _masker, _options);
        var authenticator = new RegistryAuthenticator(credentials, tokens, new TokenCache(_options.Time), _masker);
        _transport = new RegistryTransport(_clients, endpoints, authenticator, retry, _masker, _options);
        _uploader = new BlobUploader(_transport, retry, _options);
    }

    /// <summary>The options in use.</summary>
    public RegistryClientOptions Options => _options;

    /// <summary>Fetches a manifest or index byte-exact and verifies its digest (against the reference's digest, else the registry's <c>Docker-Content-Digest</c>).</summary>
    /// <exception cref="DockyardException">Not found, not allowed, or the bytes do not match the digest.</exception>
    public async Task<ManifestContent> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        await TryGetManifestAsync(reference, cancellationToken)
        ?? throw new DockyardException($"Image {reference} was not found (registry {reference.Registry} answered 404). Check the repository name and the tag or digest.");

    /// <summary>Like <see cref="GetManifestAsync"/> but returns <c>null</c> when the registry answers 404.</summary>
    public async Task<ManifestContent?> TryGetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        var request = new RegistryRequest
        {
            Registry = reference.Registry, Method = HttpMethod.Get, Path = $"v2/{reference.Repository}/manifests/{reference.Reference}",
            Scopes = [TokenScope.Pull(reference.Repository)], Accept = MediaTypes.AllManifestTypes, What = $"Fetching manifest {reference}",
        };
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (response.StatusCode != HttpStatusCode.OK) throw await _transport.FailureAsync(request, response, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var manifest = ManifestContent.FromBytes(bytes, response.Content.Headers.ContentType?.MediaType, reference.ToString());
        var expected = reference.Digest?.ToString()
            ?? (response.Headers.TryGetValues("Docker-Content-Digest", out var header) ? header.FirstOrDefault() : null);
        if (expected is not null && Digest.TryParse(expected, out var digest) && digest.Algorithm is "sha256" or "sha512" && !digest.Matches(bytes))
            throw new DockyardException($"The manifest of {reference} does not match digest {expected} (its bytes hash to {manifest.Digest}); the registry or a proxy altered it. Refusing it.");
        return manifest;
    }

    /// <summary>
    /// Resolves <paramref name="reference"/> to one image manifest: an index is narrowed to
    /// <paramref name="platform"/> (default: this machine's), a manifest is returned as is.
    /// </summary>
    public async Task<(ManifestContent? Index, ManifestContent Manifest)> ResolveImageAsync(ImageReference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var top = await GetManifestAsync(reference, cancellationToken);
        if (!top.IsIndex) return (null, top);
        var entry = PlatformSelector.Select(top.ParseIndex(), platform ?? Platform.Current, reference.ToString());
        var child = await GetManifestAsync(reference.WithDigest(Digest.Parse(entry.Digest)), cancellationToken);
        return (top, child);
    }

    /// <summary>
    /// Fetches the top manifest or index a pull of <paramref name="reference"/> gets, honouring
    /// <see cref="RegistryClientOptions.RegistriesConf"/> (remaps, mirrors, blocked prefixes); read everything else of
    /// the image from the returned <see cref="PullOrigin.Source"/>.
    /// </summary>
    /// <exception cref="DockyardException">The reference is blocked, or no candidate has it.</exception>
    public Task<PulledManifest> GetPullManifestAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        new PullSourceSelector(this, _options.RegistriesConf ?? RegistriesConf.Empty).GetAsync(reference, cancellationToken);

    /// <summary>
    /// Like <see cref="ResolveImageAsync"/> for a pull: the top manifest comes from the first registries.conf candidate
    /// that has it, the platform's manifest from the same place.
    /// </summary>
    public async Task<ResolvedPull> ResolvePullAsync(ImageReference reference, Platform? platform = null, CancellationToken cancellationToken = default)
    {
        var pulled = await GetPullManifestAsync(reference, cancellationToken);
        if (!pulled.Manifest.IsIndex) return new ResolvedPull(null, pulled.Manifest, pulled.Origin);
        var entry = PlatformSelector.Select(pulled.Manifest.ParseIndex(), platform ?? Platform.Current, reference.ToString());
        var child = await GetManifestAsync(pulled.Origin.Source.WithDigest(Digest.Parse(entry.Digest)), cancellationToken);
        return new ResolvedPull(pulled.Manifest, child, pulled.Origin);
    }

    /// <summary>Opens a blob for reading; the stream throws at its end if the bytes do not match <paramref name="blob"/>.</summary>
    public async Task<Stream> OpenBlobAsync(ImageReference repository, Descriptor blob, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var request = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Get, Path = $"v2/{repository.Repository}/blobs/{blob.Digest}",
            Scopes = [TokenScope.Pull(repository.Repository)], StreamResponse = true, What = $"Fetching blob {blob.Digest} from {repository.Name}",
        };
        var response = await _transport.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            using (response) throw await _transport.FailureAsync(request, response, cancellationToken);
        }
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return new DigestVerifyingStream(new ResponseOwningStream(body, response), blob, repository.Name, _options.RequestTimeout,
            progress is null ? null : progress.Report);
    }

    /// <summary>Reads a small blob (an image config) into memory, verified.</summary>
    public async Task<byte[]> GetBlobBytesAsync(ImageReference repository, Descriptor blob, CancellationToken cancellationToken = default)
    {
        if (blob.Size > 64L << 20) throw new DockyardException($"Blob {blob.Digest} of {repository.Name} is {blob.Size} bytes; too large to read into memory. Stream it instead.");
        return await _retry.ExecuteAsync($"Fetching blob {blob.Digest} from {repository.Name}", async ct =>
        {
            await using var stream = await OpenBlobAsync(repository, blob, null, ct);
            using var buffer = new MemoryStream((int)blob.Size);
            await stream.CopyToAsync(buffer, ct);
            return buffer.ToArray();
        }, cancellationToken);
    }

    /// <summary>Downloads a blob to a file, verified (a partial file is deleted).</summary>
    public async Task DownloadBlobAsync(ImageReference repository, Descriptor blob, string path, CancellationToken cancellationToken = default)
    {
        await _retry.ExecuteAsync($"Downloading blob {blob.Digest} from {repository.Name}", async ct =>
        {
            try
            {
                Report(TransferEventKind.BlobStarted, repository.Name, blob, 0);
                await using (var stream = await OpenBlobAsync(repository, blob, new InlineProgress(n => Report(TransferEventKind.BlobProgress, repository.Name, blob, n)), ct))
                await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    await stream.CopyToAsync(file, ct);
                Report(TransferEventKind.BlobCompleted, repository.Name, blob, blob.Size);
                return true;
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }, cancellationToken);
    }

    /// <summary>Whether the repository has the blob (HEAD).</summary>
    public Task<bool> BlobExistsAsync(ImageReference repository, string digest, CancellationToken cancellationToken = default) =>
        _uploader.ExistsAsync(repository, digest, [TokenScope.Pull(repository.Repository)], cancellationToken);

    /// <summary>Whether the repository has the manifest (HEAD by digest or tag).</summary>
    public Task<bool> ManifestExistsAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        ManifestExistsAsync(reference, [TokenScope.Pull(reference.Repository)], cancellationToken);

    private async Task<bool> ManifestExistsAsync(ImageReference reference, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest
        {
            Registry = reference.Registry, Method = HttpMethod.Head, Path = $"v2/{reference.Repository}/manifests/{reference.Reference}",
            Scopes = scopes, Accept = MediaTypes.AllManifestTypes, What = $"Checking manifest {reference}",
        };
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await _transport.FailureAsync(request, response, cancellationToken);
    }

    /// <summary>Pushes one blob unless present: HEAD → mount from <see cref="BlobToPush.MountFrom"/> → upload (monolithic or chunked).</summary>
    public Task<BlobPushOutcome> PushBlobAsync(ImageReference repository, BlobToPush blob, CancellationToken cancellationToken = default) =>
        _uploader.PushAsync(repository, blob.Descriptor, blob.Source, blob.MountFrom, cancellationToken);

    /// <summary>
    /// Pushes <paramref name="blobs"/> (in parallel, bounded by <see cref="RegistryClientOptions.MaxParallelTransfers"/>),
    /// confirms that everything the manifest references is present (blobs for an image, manifests for an index), then
    /// puts the manifest under the reference's tag (or digest) and every tag of <paramref name="additionalTags"/>.
    /// Nothing is tagged when a referenced blob or manifest is missing.
    /// </summary>
    /// <returns>The manifest digest and how each blob got there.</returns>
    public async Task<PushResult> PushImageAsync(ImageReference target, ManifestContent manifest, IReadOnlyCollection<BlobToPush> blobs, IReadOnlyList<string>? additionalTags = null, CancellationToken cancellationToken = default)
    {
        if (target.Digest is { } pinned && pinned != manifest.Digest)
            throw new DockyardException($"Cannot push manifest {manifest.Digest} to {target}: the reference pins another digest.");
        var tags = new List<string>();
        if (target.Tag is not null) tags.Add(target.Tag);
        foreach (var tag in additionalTags ?? [])
            if (!tags.Contains(tag)) tags.Add(target.WithTag(tag).Tag!); // WithTag validates the tag

        var references = manifest.References();
        var given = blobs.ToDictionary(b => b.Descriptor.Digest, StringComparer.Ordinal);
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<string, BlobPushOutcome>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(given.Values, ParallelOptions(cancellationToken), async (blob, ct) =>
            outcomes[blob.Descriptor.Digest] = await PushBlobAsync(target, blob, ct));

        foreach (var needed in references.DistinctBy(d => d.Digest))
        {
            if (given.ContainsKey(needed.Digest)) continue;
            var present = manifest.IsIndex
                ? await ManifestExistsAsync(target.WithDigest(Digest.Parse(needed.Digest)), [TokenScope.PullPush(target.Repository)], cancellationToken)
                : await _uploader.ExistsAsync(target, needed.Digest, [TokenScope.PullPush(target.Repository)], cancellationToken);
            if (!present)
                throw new DockyardException($"Cannot push {target}: {(manifest.IsIndex ? "manifest" : "blob")} {needed.Digest} it references is not in {target.Name} and was not given. Push it first; nothing was tagged.");
        }

        if (tags.Count == 0) await PutManifestAsync(target, manifest.Digest.ToString(), manifest, cancellationToken);
        var tagged = new List<string>();
        foreach (var tag in tags)
        {
            try
            {
                await PutManifestAsync(target, tag, manifest, cancellationToken);
            }
            catch (DockyardException e) when (tags.Count > 1)
            {
                // With several tags, say which ones the registry now holds: a re-run or a clean-up needs to know.
                throw new DockyardException($"{e.Message.TrimEnd()} Tags: pushed {TagList(target, tagged)}; not pushed {TagList(target, tags.Skip(tagged.Count))}.", e)
                    { Code = e.Code, Subject = e.Subject, Setting = e.Setting };
            }
            tagged.Add(tag);
        }
        return new PushResult(manifest.Digest, outcomes);
    }

    private static string TagList(ImageReference target, IEnumerable<string> tags) =>
        tags.Any() ? string.Join(", ", tags.Select(t => target.WithTag(t).ToString())) : "none";

    /// <summary>Puts a manifest's exact bytes under a tag or digest; verifies the digest the registry reports.</summary>
    public async Task PutManifestAsync(ImageReference repository, string tagOrDigest, ManifestContent manifest, CancellationToken cancellationToken = default)
    {
        var request = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Put, Path = $"v2/{repository.Repository}/manifests/{tagOrDigest}",
            Scopes = [TokenScope.PullPush(repository.Repository)], TransferBytes = manifest.Bytes.Length,
            Content = () =>
            {
                var content = new ByteArrayContent(manifest.Bytes);
                content.Headers.ContentType = new(manifest.MediaType);
                return content;
            },
            What = $"Pushing manifest {repository.Name}:{tagOrDigest}",
        };
        using var response = await _transport.SendAsync(request, cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK)) throw await _transport.FailureAsync(request, response, cancellationToken);
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var d) && d.FirstOrDefault() is { } reported && reported != manifest.Digest.ToString())
            throw new DockyardException($"Registry {repository.Registry} stored manifest {repository.Name}:{tagOrDigest} as {reported}, not {manifest.Digest}; it altered the bytes.");
        _options.Progress?.Report(new TransferProgress(TransferEventKind.ManifestPushed, $"{repository.Name}:{tagOrDigest}", manifest.Digest.ToString(), manifest.Bytes.Length, manifest.Bytes.Length, tagOrDigest));
    }

    internal ParallelOptions ParallelOptions(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelTransfers), CancellationToken = cancellationToken };

    private void Report(TransferEventKind kind, string target, Descriptor blob, long bytes) =>
        _options.Progress?.Report(new TransferProgress(kind, target, blob.Digest, bytes, blob.Size));

    /// <summary>Closes connections.</summary>
    public void Dispose() => _clients.Dispose();

    private sealed class InlineProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}

/// <summary>What a push did.</summary>
/// <param name="Digest">The manifest digest.</param>
/// <param name="Blobs">How each given blob reached the repository.</param>
public sealed record PushResult(Digest Digest, IReadOnlyDictionary<string, BlobPushOutcome> Blobs);
