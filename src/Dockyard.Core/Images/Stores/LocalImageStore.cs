using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Registries.References;

namespace Dockyard.Images.Stores;

/// <summary>
/// The local image store: an OCI image layout under Dockyard's cache directory (<c>HostContext.CacheDirectory/images</c>),
/// the embedded default wherever no registry is configured. Names are full normalised references
/// (<c>127.0.0.1:5000/team/app:1.0</c>, <c>docker.io/library/busybox:latest</c>); <c>index.json</c> holds one
/// descriptor per name annotated <c>org.opencontainers.image.ref.name</c> and <c>io.containerd.image.name</c> = the
/// full name, so <c>skopeo … oci:ROOT:NAME</c> reads it too. Safe for concurrent processes: a lock file around every
/// <c>index.json</c> change, <c>index.json</c> and blobs written to temp files in the store, verified, flushed and
/// renamed into place. A name is only set once every blob it reaches is present, so the store is never half-written.
/// </summary>
public sealed partial class LocalImageStore
{
    /// <summary>The OCI annotation holding the full name of an <c>index.json</c> entry.</summary>
    public const string NameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>containerd's annotation for the same name (what <c>ctr</c> and nerdctl read).</summary>
    public const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>Dockyard's annotation for when the name was set (RFC 3339), the creation time of an image without <c>created</c>.</summary>
    public const string NamedAtAnnotation = "io.dockyard.image.named";

    private static readonly TimeSpan StaleTempAge = TimeSpan.FromHours(1);

    /// <summary>Opens (without creating anything yet) the store at <paramref name="root"/>.</summary>
    public LocalImageStore(string root) => Root = Path.GetFullPath(root);

    /// <summary>The store of a host: <c>CacheDirectory/images</c>.</summary>
    public static LocalImageStore ForHost(HostContext host) => new(Path.Combine(host.CacheDirectory, "images"));

    /// <summary>The layout directory.</summary>
    public string Root { get; }

    /// <summary>How long a change waits for another process's lock before failing (default 60 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How recently written (or re-announced by <see cref="WriteBlobAsync"/>) an unreferenced blob must be to survive a
    /// collection (default 10 minutes): another process may be writing an image whose name it has not set yet.
    /// </summary>
    public TimeSpan CollectionGrace { get; init; } = TimeSpan.FromMinutes(10);

    private string IndexPath => Path.Combine(Root, "index.json");
    private string LockPath => Path.Combine(Root, ".lock");
    private string TempDirectory => Path.Combine(Root, ".tmp");

    /// <summary>The path of a blob: <c>blobs/&lt;algorithm&gt;/&lt;hex&gt;</c>.</summary>
    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Hex);

    /// <summary>Whether the blob is in the store.</summary>
    public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>
    /// Writes a blob: streamed to a temp file in the store, its digest and size verified, flushed, then renamed into
    /// place. A blob already present is kept (and marked recent, so a concurrent collection spares it).
    /// </summary>
    /// <exception cref="DockyardException">The content does not match the descriptor, or the store is not writable.</exception>
    public async Task WriteBlobAsync(Descriptor descriptor, Stream content, CancellationToken ct)
    {
        var digest = ParseDigest(descriptor);
        var final = BlobPath(digest);
        if (TryKeepExisting(final, descriptor.Size)) return;
        var temp = Path.Combine(TempDirectory, $"{digest.Hex}.{Guid.NewGuid():N}");
        var reading = false;
        try
        {
            CreateDirectories(Path.GetDirectoryName(final)!);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                using var hash = IncrementalHash.CreateHash(digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while (true)
                {
                    reading = true;
                    read = await content.ReadAsync(buffer, ct);
                    reading = false;
                    if (read == 0) break;
                    total += read;
                    if (total > descriptor.Size)
                        throw new DockyardException($"Local image store '{Root}': blob {digest} is larger than the {descriptor.Size} bytes its descriptor says; its source is damaged, pull or build the image again.");
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
                if (total != descriptor.Size || actual != digest.Hex)
                    throw new DockyardException($"Local image store '{Root}': blob {digest} read as {digest.Algorithm}:{actual} ({total} bytes, {descriptor.Size} expected); its source is damaged, pull or build the image again.");
                file.Flush(flushToDisk: true);
            }
            using (StoreLock.Acquire(LockPath, LockTimeout))
            {
                if (!TryKeepExisting(final, descriptor.Size, locked: true)) File.Move(temp, final, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && !reading)
        {
            throw new DockyardException($"Cannot write blob {digest} to the local image store '{Root}': {e.Message} Make it writable, free some space, or choose another store.", e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    /// <summary>Opens a blob for reading.</summary>
    /// <exception cref="DockyardException">The blob is not in the store.</exception>
    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var path = BlobPath(ParseDigest(descriptor));
        try
        {
            return Task.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new DockyardException($"Blob {descriptor.Digest} is missing from the local image store '{Root}'; pull or build the image again.", e);
        }
    }

    /// <summary>
    /// The image a name designates, or <c>null</c>. <paramref name="name"/> is written as the user wrote it: a name
    /// (<c>busybox</c> → <c>docker.io/library/busybox:latest</c>), a name by digest (<c>NAME@sha256:…</c>, the digest of
    /// the named manifest or index), a full digest or image ID (<c>sha256:…</c>), or, when no name matches, a unique
    /// prefix of an image ID as <c>image ls</c> shows it (<c>sha256:</c> optional).
    /// </summary>
    /// <exception cref="DockyardException">An ID prefix matches several images.</exception>
    public LocalImageEntry? Find(string name) => Resolve(name, Load()).Entries.FirstOrDefault()?.Entry;

    /// <summary>Every named image, in <c>index.json</c> order.</summary>
    public IReadOnlyList<LocalImageEntry> List() => Load().Select(n => n.Entry).ToList();

    /// <summary>Every named image with what <c>image ls</c> shows: repository, tag, image ID and size.</summary>
    public IReadOnlyList<LocalImageSummary> Summaries()
    {
        var read = CachingReader();
        return Load(read).Select(n => Summary(n, read)).ToList();
    }

    private static LocalImageSummary Summary(Named n, Func<Descriptor, byte[]?> read)
    {
        var reference = ImageReference.Parse(n.Entry.Name);
        var size = ImageGraph.Reachable(n.Entry.Descriptor, read).Sum(d => d.Size);
        return new LocalImageSummary(n.Entry, FamiliarName(reference), reference.Tag ?? "<none>", n.ImageId, size);
    }

    /// <summary>
    /// Adds a name or moves it to another manifest or index. The descriptor's blobs (and everything it reaches) must
    /// already be in the store: write them with <see cref="WriteBlobAsync"/> first.
    /// </summary>
    /// <exception cref="DockyardException">The name is not a valid <c>NAME[:TAG]</c>, or a blob is missing.</exception>
    public void SetName(string name, Descriptor top)
    {
        var reference = ParseName(name);
        ParseDigest(top);
        var fullName = reference.ToString();
        using (StoreLock.Acquire(LockPathCreated(), LockTimeout))
        {
            var missing = ImageGraph.Reachable(top, ReadSmallBlob).FirstOrDefault(d => !IsForeign(d) && !HasBlob(ParseDigest(d)));
            if (missing is not null)
                throw new DockyardException($"Cannot name {fullName} in the local image store '{Root}': blob {missing.Digest} ({missing.MediaType}) of {top.Digest} is not in the store; write every blob of the image before naming it.");
            var entries = ReadIndex().Where(d => NameOf(d) != fullName).ToList();
            var annotations = new Dictionary<string, string>(top.Annotations ?? new Dictionary<string, string>())
            {
                [NameAnnotation] = fullName,
                [ContainerdNameAnnotation] = fullName,
                [NamedAtAnnotation] = ImageConfig.FormatTime(DateTimeOffset.UtcNow),
            };
            entries.Add(top with { Annotations = annotations });
            WriteIndex(entries);
        }
    }

    /// <summary>
    /// Removes a name (resolved as <see cref="Find"/> does) and collects the blobs no name reaches any more;
    /// <c>false</c> when nothing matched. An image ID or digest that several names share is refused (see <see cref="Remove"/>).
    /// </summary>
    public bool RemoveName(string name) => Remove(name) is not null;

    /// <summary>
    /// Removes what <paramref name="nameOrId"/> designates (see <see cref="Find"/>) and collects the blobs no name reaches
    /// any more (walking indexes and manifests; unreferenced blobs younger than <see cref="CollectionGrace"/> are kept);
    /// <c>null</c> when nothing matched. An image ID or digest shared by several names removes them all only with
    /// <paramref name="force"/>, as <c>docker image rm -f</c>.
    /// </summary>
    /// <exception cref="DockyardException">An ID or digest names several names and <paramref name="force"/> is false.</exception>
    public LocalImageRemoval? Remove(string nameOrId, bool force = false)
    {
        if (!File.Exists(IndexPath)) return null;
        using (StoreLock.Acquire(LockPathCreated(), LockTimeout))
        {
            var read = CachingReader();
            var all = Load(read);
            var (matches, byName) = Resolve(nameOrId, all);
            if (matches.Count == 0) return null;
            if (!byName && !force && matches.Count > 1)
                throw new DockyardException($"Image {nameOrId} in the local image store is referenced by {matches.Count} names ({string.Join(", ", matches.Select(m => m.Entry.Name))}): remove them by name, or force it (image rm --force).");
            var removed = matches.Select(m => m.Entry.Name).ToHashSet(StringComparer.Ordinal);
            var kept = ReadIndex().Where(d => NameOf(d) is not { } n || !removed.Contains(n)).ToList();
            WriteIndex(kept);
            var remainingIds = all.Where(n => !removed.Contains(n.Entry.Name)).Select(n => n.ImageId).ToHashSet();
            var deleted = matches.Select(m => m.ImageId).Distinct().Where(id => !remainingIds.Contains(id)).ToList();
            var (blobs, bytes) = Collect(kept, read);
            return new LocalImageRemoval(matches.Select(m => m.Entry.Name).ToList(), deleted, blobs, bytes);
        }
    }

    private sealed record Named(LocalImageEntry Entry, Digest ImageId);

    private List<Named> Load() => Load(CachingReader());

    private List<Named> Load(Func<Descriptor, byte[]?> read)
    {
        var result = new List<Named>();
        foreach (var descriptor in ReadIndex())
        {
            if (NameOf(descriptor) is not { } name || !ImageReference.TryParse(name, out _, out _) || !Digest.TryParse(descriptor.Digest, out var topDigest)) continue;
            var platform = ImageGraph.PlatformManifest(descriptor, Platform.Current, read);
            DateTimeOffset? created = null;
            var imageId = topDigest;
            if (platform is { } p && Digest.TryParse(p.Manifest.Config.Digest, out var configDigest))
            {
                imageId = configDigest;
                if (read(p.Manifest.Config) is { } configBytes)
                {
                    try { created = ImageConfig.Parse(configBytes).Created; }
                    catch (DockyardException) { created = null; }
                }
            }
            created ??= descriptor.Annotations?.GetValueOrDefault(NamedAtAnnotation) is { } named
                && DateTimeOffset.TryParse(named, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : DateTimeOffset.UnixEpoch;
            result.Add(new Named(new LocalImageEntry(name, WithoutStoreAnnotations(descriptor), created.Value), imageId));
        }
        return result;
    }

    private (List<Named> Entries, bool ByName) Resolve(string text, List<Named> all)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DockyardException("An image name is empty: write NAME[:TAG], NAME@DIGEST or an image ID as `image ls` shows it.");
        var hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text["sha256:".Length..] : text;
        var isHex = HexText().IsMatch(hex);
        if (isHex && hex.Length == 64)
        {
            var full = "sha256:" + hex;
            return (all.Where(n => n.ImageId.ToString() == full || n.Entry.Descriptor.Digest == full).ToList(), false);
        }
        if (ImageReference.TryParse(text, out var reference, out var error))
        {
            var byName = reference.Digest is { } digest
                ? all.Where(n => n.Entry.Descriptor.Digest == digest.ToString() && ImageReference.Parse(n.Entry.Name).Name == reference.Name).ToList()
                : all.Where(n => n.Entry.Name == reference.ToString()).ToList();
            if (byName.Count > 0 || !isHex) return (byName, true);
        }
        else if (!isHex)
        {
            throw new DockyardException($"'{text}' is not a valid image name: {error}");
        }
        var prefixed = all.Where(n => n.ImageId.Hex.StartsWith(hex, StringComparison.Ordinal)).ToList();
        var ids = prefixed.Select(n => n.ImageId).Distinct().ToList();
        if (ids.Count > 1)
            throw new DockyardException($"Image ID prefix '{text}' is ambiguous in the local image store: it matches {string.Join(", ", ids.Select(i => i.Hex[..12]))}; give more characters.");
        return (prefixed, false);
    }

    private (int Blobs, long Bytes) Collect(IReadOnlyList<Descriptor> index, Func<Descriptor, byte[]?> read)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var top in index)
            foreach (var descriptor in ImageGraph.Reachable(top, read))
                reachable.Add(descriptor.Digest);
        var now = DateTime.UtcNow;
        int blobs = 0;
        long bytes = 0;
        var blobRoot = Path.Combine(Root, "blobs");
        if (Directory.Exists(blobRoot))
        {
            foreach (var directory in Directory.EnumerateDirectories(blobRoot))
            {
                var algorithm = Path.GetFileName(directory);
                foreach (var file in Directory.EnumerateFiles(directory))
                {
                    var info = new FileInfo(file);
                    if (reachable.Contains($"{algorithm}:{info.Name}") || now - info.LastWriteTimeUtc < CollectionGrace) continue;
                    var length = info.Length;
                    if (TryDelete(file)) { blobs++; bytes += length; }
                }
            }
        }
        if (Directory.Exists(TempDirectory))
            foreach (var file in Directory.EnumerateFiles(TempDirectory))
                if (now - File.GetLastWriteTimeUtc(file) > (CollectionGrace > StaleTempAge ? CollectionGrace : StaleTempAge)) TryDelete(file);
        return (blobs, bytes);
    }

    private List<Descriptor> ReadIndex()
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(IndexPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return [];
        }
        try
        {
            var index = JsonSerializer.Deserialize<ImageIndex>(bytes) ?? throw new JsonException("the file is empty");
            return index.Manifests.ToList();
        }
        catch (JsonException e)
        {
            throw new DockyardException($"The local image store index '{IndexPath}' is not a valid OCI index ({e.Message}); restore it, or delete '{Root}' to start an empty store.", e);
        }
    }

    private void WriteIndex(IReadOnlyList<Descriptor> entries)
    {
        var index = new ImageIndex { SchemaVersion = 2, MediaType = MediaTypes.OciIndex, Manifests = entries };
        try
        {
            CreateDirectories(Path.Combine(Root, "blobs", "sha256"));
            var layout = Path.Combine(Root, "oci-layout");
            if (!File.Exists(layout)) WriteAtomically(layout, "{\"imageLayoutVersion\":\"1.0.0\"}"u8.ToArray());
            WriteAtomically(IndexPath, JsonSerializer.SerializeToUtf8Bytes(index, ImageJson.Options));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot write the local image store index '{IndexPath}': {e.Message} Make it writable, free some space, or choose another store.", e);
        }
    }

    private void WriteAtomically(string path, byte[] bytes)
    {
        var temp = Path.Combine(TempDirectory, $"{Path.GetFileName(path)}.{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private string LockPathCreated()
    {
        try
        {
            CreateDirectories(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot create the local image store '{Root}': {e.Message} Choose a writable directory.", e);
        }
        return LockPath;
    }

    private void CreateDirectories(string blobDirectory)
    {
        Directory.CreateDirectory(blobDirectory);
        Directory.CreateDirectory(TempDirectory);
    }

    private bool TryKeepExisting(string final, long size, bool locked = false)
    {
        var info = new FileInfo(final);
        if (!info.Exists || info.Length != size) return false;
        if (locked) Touch(final);
        else
        {
            using (StoreLock.Acquire(LockPathCreated(), LockTimeout))
            {
                if (!File.Exists(final)) return false;
                Touch(final);
            }
        }
        return true;
    }

    private static void Touch(string path)
    {
        try { File.SetLastWriteTimeUtc(path, DateTime.UtcNow); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { /* a read-only shared store keeps its times */ }
    }

    /// <summary>A blob reader for one operation: each manifest, index or config read and verified once.</summary>
    private Func<Descriptor, byte[]?> CachingReader()
    {
        var cache = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        return descriptor =>
        {
            if (!cache.TryGetValue(descriptor.Digest, out var bytes)) cache[descriptor.Digest] = bytes = ReadSmallBlob(descriptor);
            return bytes;
        };
    }

    private byte[]? ReadSmallBlob(Descriptor descriptor)
    {
        if (!Digest.TryParse(descriptor.Digest, out var digest) || descriptor.Size > 16 << 20) return null;
        try
        {
            var bytes = File.ReadAllBytes(BlobPath(digest));
            return digest.Algorithm is "sha256" or "sha512" && digest.Matches(bytes) ? bytes : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private Digest ParseDigest(Descriptor descriptor) =>
        Digest.TryParse(descriptor.Digest, out var digest) && digest.Algorithm is "sha256" or "sha512"
            ? digest
            : throw new DockyardException($"Local image store '{Root}': '{descriptor.Digest}' is not a sha256 or sha512 digest; the image is damaged.");

    private static ImageReference ParseName(string name)
    {
        var reference = ImageReference.Parse(name);
        if (reference.Digest is not null)
            throw new DockyardException($"'{name}' names a digest: a name in the local image store is NAME[:TAG], e.g. {reference.Name}:latest.");
        return reference;
    }

    private static bool IsForeign(Descriptor descriptor) =>
        descriptor.MediaType is MediaTypes.DockerForeignLayerGzip || descriptor.Urls is { Count: > 0 } || descriptor.MediaType.Contains("nondistributable", StringComparison.Ordinal);

    private static string? NameOf(Descriptor descriptor) =>
        descriptor.Annotations?.GetValueOrDefault(NameAnnotation) ?? descriptor.Annotations?.GetValueOrDefault(ContainerdNameAnnotation);

    private static Descriptor WithoutStoreAnnotations(Descriptor descriptor)
    {
        var rest = descriptor.Annotations?.Where(a => a.Key is not (NameAnnotation or ContainerdNameAnnotation or NamedAtAnnotation)).ToDictionary(a => a.Key, a => a.Value);
        return descriptor with { Annotations = rest is { Count: > 0 } ? rest : null };
    }

    /// <summary>The repository as docker shows it: <c>docker.io/library/</c> and <c>docker.io/</c> dropped.</summary>
    public static string FamiliarName(ImageReference reference) =>
        reference.Registry != RegistryHost.DockerHub ? reference.Name
        : reference.Repository.StartsWith("library/", StringComparison.Ordinal) && reference.Repository.IndexOf('/', "library/".Length) < 0 ? reference.Repository["library/".Length..]
        : reference.Repository;

    private static bool TryDelete(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[0-9a-f]{1,64}$")]
    private static partial Regex HexText();
}
