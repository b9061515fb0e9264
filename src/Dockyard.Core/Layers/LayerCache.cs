using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>
/// A content-addressed local store of layer blobs, indexed two ways so an unchanged layer is never compressed twice
/// and keeps the digest it was first pushed with:
/// <list type="bullet">
/// <item><b>by inputs</b> — a sha256 over the entry list (paths, modes, owners, times, link targets and each file's
/// path + size + last-write time, or the hash of in-memory bytes): a hit returns the blob without reading any file;</item>
/// <item><b>by diff_id</b> + compression — after a miss the layer is compressed once; if a blob with the same diff_id
/// already exists it is kept (and the new one dropped), so a different deflate implementation cannot change the digest.</item>
/// </list>
/// Layout: <c>blobs/sha256/&lt;hex&gt;</c>, <c>index/inputs/&lt;key&gt;.json</c>, <c>index/diffids/&lt;hex&gt;.&lt;compression&gt;.json</c>, <c>tmp/</c>.
/// </summary>
public sealed class LayerCache
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
    private int _compressions, _inputHits, _diffIdHits, _remoteHits;

    /// <summary>Opens (and creates if needed) a cache rooted at <paramref name="root"/>.</summary>
    public LayerCache(string root)
    {
        Root = Path.GetFullPath(root);
        try
        {
            Directory.CreateDirectory(Path.Combine(Root, "blobs", "sha256"));
            Directory.CreateDirectory(Path.Combine(Root, "index", "inputs"));
            Directory.CreateDirectory(Path.Combine(Root, "index", "diffids"));
            Directory.CreateDirectory(Path.Combine(Root, "tmp"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot create the layer cache at '{Root}': {e.Message} Set DOCKYARD_CACHE to a writable directory.", e);
        }
    }


    /// <summary>The cache directory.</summary>
    public string Root { get; }

    /// <summary>How many layers this instance compressed (misses of the input index).</summary>
    public int Compressions => _compressions;

    /// <summary>How many layers were served from the input index without reading or compressing anything.</summary>
    public int InputHits => _inputHits;

    /// <summary>How many layers were served by an existing blob with the same diff_id (after compressing, or after hashing for a registry cache).</summary>
    public int DiffIdHits => _diffIdHits;

    /// <summary>How many layers a registry cache already held, so they were neither compressed nor stored here.</summary>
    public int RemoteHits => _remoteHits;

    /// <summary>Where the blob with <paramref name="digest"/> is (or would be) stored.</summary>
    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Hex);

    /// <summary>The source of a stored blob (the cache writes blobs by digest, so their bytes are trusted).</summary>
    public IBlobSource Blob(Descriptor descriptor) => new CachedBlob(this, descriptor);

    private sealed record CachedBlob(LayerCache Cache, Descriptor Descriptor) : IBlobSource
    {
        public Task<Stream> OpenAsync(CancellationToken cancellationToken)
        {
            var path = Cache.BlobPath(Images.Digest.Parse(Descriptor.Digest));
            if (!File.Exists(path))
                throw new DockyardException($"Blob {Descriptor.Digest} is not in the layer cache '{Cache.Root}'; rebuild the layer.");
            return new FileBlobSource(path).OpenAsync(cancellationToken);
        }
    }

    /// <summary>Looks a layer up by the key of its inputs.</summary>
    public bool TryGetByInputKey(string inputKey, out Layer layer) => TryRead(InputRecordPath(inputKey), out layer);

    /// <summary>Looks a layer up by diff_id and compression.</summary>
    public bool TryGetByDiffId(Digest diffId, LayerCompression compression, out Layer layer) =>
        TryRead(DiffIdRecordPath(diffId, compression), out layer);

    /// <summary>
    /// Returns the cached layer for <paramref name="inputKey"/>, or writes it with <paramref name="writeTar"/> in one
    /// streaming pass (tar → diff_id → compression → digest → blob file) and indexes it by key and by diff_id.
    /// </summary>
    public Layer GetOrCreate(string? inputKey, LayerCompression compression, Action<Stream> writeTar) => GetOrCreate(inputKey, compression, writeTar, null);

    /// <summary>
    /// As <see cref="GetOrCreate(string?, LayerCompression, Action{Stream})"/>; with a <paramref name="remote"/> index,
    /// an input-key miss first hashes the tar (no compression) and asks this cache's diff_id index, then the remote
    /// one, before compressing anything. Every layer returned is reported to <paramref name="remote"/>.
    /// </summary>
    internal Layer GetOrCreate(string? inputKey, LayerCompression compression, Action<Stream> writeTar, IRemoteLayerIndex? remote)
    {
        var layer = Resolve(inputKey, compression, writeTar, remote);
        remote?.Used(layer);
        return layer;
    }

    private Layer Resolve(string? inputKey, LayerCompression compression, Action<Stream> writeTar, IRemoteLayerIndex? remote)
    {
        if (inputKey is not null && TryGetByInputKey(inputKey, out var cached))
        {
            Interlocked.Increment(ref _inputHits);
            return cached;
        }

        if (remote is { IsEmpty: false })
        {
            var (diffId, diffSize) = LayerBlobWriter.HashTar(writeTar);
            if (TryGetByDiffId(diffId, compression, out var known))
            {
                Interlocked.Increment(ref _diffIdHits);
                if (inputKey is not null) WriteRecord(InputRecordPath(inputKey), known);
                return known;
            }
            if (remote.Find(diffId, compression) is { } found)
            {
                Interlocked.Increment(ref _remoteHits);
                // Not indexed here: its blob is not in this cache (the path is where it would be).
                return new Layer(diffId, diffSize, found.Digest, found.Size, compression, BlobPath(found.Digest)) { Source = found.Source };
            }
        }

        var temp = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        Layer layer;
        try
        {
            var result = LayerBlobWriter.Write(temp, compression, writeTar);
            Interlocked.Increment(ref _compressions);
            if (TryGetByDiffId(result.DiffId, compression, out var existing))
            {
                Interlocked.Increment(ref _diffIdHits);
                layer = existing;
            }
            else
            {
                var blob = BlobPath(result.Digest);
                if (!File.Exists(blob)) File.Move(temp, blob, overwrite: true);
                layer = new Layer(result.DiffId, result.DiffSize, result.Digest, result.Size, compression, blob);
                WriteRecord(DiffIdRecordPath(result.DiffId, compression), layer);
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        if (inputKey is not null) WriteRecord(InputRecordPath(inputKey), layer);
        return layer;
    }

    private string InputRecordPath(string key) => Path.Combine(Root, "index", "inputs", key + ".json");

    private string DiffIdRecordPath(Digest diffId, LayerCompression compression) =>
        Path.Combine(Root, "index", "diffids", $"{diffId.Hex}.{compression.ToString().ToLowerInvariant()}.json");

    private bool TryRead(string recordPath, out Layer layer)
    {
        layer = null!;
        if (!File.Exists(recordPath)) return false;
        Record? record;
        try
        {
            record = JsonSerializer.Deserialize<Record>(File.ReadAllBytes(recordPath), JsonOptions);
        }
        catch (JsonException)
        {
            return false; // a torn or foreign record is a miss; it is rewritten on the next store
        }
        if (record is null || !Images.Digest.TryParse(record.Digest, out var digest) || !Images.Digest.TryParse(record.DiffId, out var diffId))
            return false;
        var blob = BlobPath(digest);
        var info = new FileInfo(blob);
        if (!info.Exists || info.Length != record.Size) return false;
        layer = new Layer(diffId, record.DiffSize, digest, record.Size, record.Compression, blob);
        return true;
    }

    private void WriteRecord(string path, Layer layer)
    {
        var record = new Record(layer.DiffId.ToString(), layer.DiffSize, layer.Digest.ToString(), layer.Size, layer.Compression);
        var temp = Path.Combine(Root, "tmp", Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record, JsonOptions));
        File.Move(temp, path, overwrite: true);
    }

    private sealed record Record(string DiffId, long DiffSize, string Digest, long Size, LayerCompression Compression);
}
