using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Registries.Cache;

/// <summary>
/// A layer cache that lives in registries, so a fresh CI runner neither compresses nor uploads a layer the registry
/// already holds. Read from images (their config's diff_ids beside their manifest's layers: any image is a cache) and
/// from layer-cache artifacts (<see cref="LayerCacheArtifact"/>); written as such an artifact. A hit is a lazy
/// <see cref="RegistryBlobSource"/>: a push to the same registry mounts it, any read is verified against its digest.
/// </summary>
internal sealed class RegistryLayerCache(RegistryClient client, Action<string> info, Action<string> warning) : IRemoteLayerIndex
{
    /// <summary>The tag a cache repository (<c>--cache-repo</c>) keeps its artifact under.</summary>
    public const string DefaultTag = "dockyard-layer-cache";

    /// <summary>The most entries an artifact keeps (the newest first): about 100 KiB of config.</summary>
    public const int MaxEntries = 256;

    /// <summary>The most images of an index read as cache.</summary>
    private const int MaxIndexImages = 16;

    private readonly Dictionary<(Digest DiffId, LayerCompression Compression), (ImageReference Repository, Descriptor Blob)> _known = new();
    private readonly Dictionary<string, IReadOnlyList<LayerCacheArtifact.Entry>> _artifacts = new(StringComparer.Ordinal);
    private readonly List<Layer> _used = [];
    private readonly object _gate = new();
    private long _foundBytes;
    private int _found;

    /// <summary>How many layers were found in a registry (neither compressed nor stored here).</summary>
    public int Found => _found;

    /// <summary>The bytes of the layers found (compressed sizes: what was not compressed nor uploaded).</summary>
    public long FoundBytes => _foundBytes;

    /// <summary>How many layers the sources made known.</summary>
    public int Known => _known.Count;

    /// <inheritdoc />
    public bool IsEmpty => _known.Count == 0;

    /// <summary>
    /// Reads the layers <paramref name="reference"/> holds (an image, an index, or a layer-cache artifact). A missing
    /// reference is an empty cache; one that cannot be read is a warning when <paramref name="explicitlyNamed"/> (an
    /// info line otherwise) and the build goes on without it.
    /// </summary>
    public async Task AddSourceAsync(ImageReference reference, bool explicitlyNamed, CancellationToken cancellationToken)
    {
        try
        {
            var manifest = await client.TryGetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                if (explicitlyNamed) info($"layer cache {reference}: nothing there yet");
                return;
            }
            var before = _known.Count;
            if (manifest.IsIndex)
            {
                foreach (var child in manifest.ParseIndex().Manifests.Where(m => !MediaTypes.IsIndex(m.MediaType)).Take(MaxIndexImages))
                    await AddManifestAsync(reference, await client.GetManifestAsync(reference.WithDigest(child.Validate(reference.ToString())), cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await AddManifestAsync(reference, manifest, cancellationToken).ConfigureAwait(false);
            }
            info($"layer cache {reference}: {_known.Count - before} layer(s)");
        }
        catch (DockyardException e) when (!cancellationToken.IsCancellationRequested)
        {
            var line = $"layer cache {reference} not read, building without it: {e.Message}";
            if (explicitlyNamed) warning(line);
            else info(line);
        }
    }

    private async Task AddManifestAsync(ImageReference reference, ManifestContent content, CancellationToken cancellationToken)
    {
        var manifest = content.ParseManifest();
        if (manifest.Config.Size > LayerCacheArtifact.MaxConfigSize)
            throw new DockyardException($"its config is {ByteSize.Format(manifest.Config.Size)}, more than a layer cache's {ByteSize.Format(LayerCacheArtifact.MaxConfigSize)}.");
        var config = await client.GetBlobBytesAsync(reference, manifest.Config, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<LayerCacheArtifact.Entry> entries;
        if (LayerCacheArtifact.Is(manifest))
        {
            entries = LayerCacheArtifact.Parse(config, manifest);
            _artifacts[reference.ToString()] = entries;
        }
        else
        {
            entries = LayerCacheArtifact.FromImage(manifest, config, reference.ToString());
        }
        foreach (var entry in entries) _known.TryAdd((entry.DiffId, entry.Compression), (reference, entry.Blob));
    }

    /// <inheritdoc />
    public RemoteLayer? Find(Digest diffId, LayerCompression compression)
    {
        if (!_known.TryGetValue((diffId, compression), out var hit)) return null;
        Interlocked.Increment(ref _found);
        Interlocked.Add(ref _foundBytes, hit.Blob.Size);
        var digest = Digest.Parse(hit.Blob.Digest);
        return new RemoteLayer(digest, hit.Blob.Size, new RegistryBlobSource(client, hit.Repository, hit.Blob));
    }

    /// <inheritdoc />
    public void Used(Layer layer)
    {
        lock (_gate)
        {
            if (!_used.Any(u => u.Digest == layer.Digest)) _used.Add(layer);
        }
    }

    /// <summary>
    /// Writes the layers this build used to <paramref name="target"/> as a layer-cache artifact, followed by the
    /// entries the artifact there held before (newest first, at most <see cref="MaxEntries"/>). Blobs are mounted
    /// from <paramref name="pushedTo"/> (where the image went) or the repository they were found in when on the same
    /// registry, else uploaded from the local layer cache.
    /// </summary>
    /// <returns>How many entries the artifact holds.</returns>
    public async Task<int> SaveAsync(RegistryClient pushClient, ImageReference target, IReadOnlyList<ImageReference> pushedTo, CancellationToken cancellationToken)
    {
        if (!_artifacts.ContainsKey(target.ToString())) await AddSourceAsync(target, explicitlyNamed: false, cancellationToken).ConfigureAwait(false);
        List<Layer> used;
        lock (_gate) used = [.. _used.Take(MaxEntries)];
        var mountFrom = pushedTo.FirstOrDefault(p => p.Registry == target.Registry)?.Repository;
        var blobs = new List<BlobToPush>();
        var entries = new List<LayerCacheArtifact.Entry>();
        foreach (var layer in used)
        {
            var descriptor = layer.ToDescriptor(ImageFormat.Oci);
            entries.Add(new LayerCacheArtifact.Entry(layer.DiffId, descriptor));
            var origin = layer.Source is RegistryBlobSource r && r.Repository.Registry == target.Registry ? r.Repository.Repository : mountFrom;
            blobs.Add(new BlobToPush(descriptor, layer.Source ?? new FileBlobSource(layer.BlobPath), origin));
        }
        // Earlier entries stay in the target repository (the old artifact referenced them): not given, only checked.
        var previous = _artifacts.GetValueOrDefault(target.ToString()) ?? [];
        entries.AddRange(previous.Where(p => !entries.Any(e => e.Blob.Digest == p.Blob.Digest)));
        entries = entries.Take(MaxEntries).ToList();
        if (entries.Count == 0) return 0;

        var (manifest, config) = LayerCacheArtifact.Create(entries);
        blobs.Add(new BlobToPush(manifest.ParseManifest().Config, new BytesBlobSource(config)));
        await pushClient.PushImageAsync(target, manifest, blobs, null, cancellationToken).ConfigureAwait(false);
        return entries.Count;
    }
}
