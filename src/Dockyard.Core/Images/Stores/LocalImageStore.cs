using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Images.Layout;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Images.Stores;

/// <summary>
/// The local image store: an OCI image layout under Dockyard's cache directory (<c>CacheDirectory/images</c>), the
/// embedded default wherever no registry is configured. Names are full normalised references; <c>index.json</c>
/// holds one descriptor per name annotated <c>org.opencontainers.image.ref.name</c> (and
/// <c>io.containerd.image.name</c>). A lock file guards <c>index.json</c> changes; blobs are written temp + rename.
/// </summary>
public sealed class LocalImageStore
{
    private const string ContainerdName = "io.containerd.image.name";
    private const string CreatedAnnotation = "org.opencontainers.image.created";

    /// <summary>A store rooted at <paramref name="root"/> (created on first write).</summary>
    public LocalImageStore(string root) => Root = Path.GetFullPath(root);

    /// <summary>The store of <paramref name="host"/>: <c>CacheDirectory/images</c>.</summary>
    public static LocalImageStore ForHost(Hosting.HostContext host) => new(Path.Combine(host.CacheDirectory, "images"));

    /// <summary>The layout directory.</summary>
    public string Root { get; }

    private string IndexPath => Path.Combine(Root, "index.json");

    /// <summary>Where the blob with <paramref name="digest"/> is (or would be) stored.</summary>
    public string BlobPath(Digest digest) => Path.Combine(Root, "blobs", digest.Algorithm, digest.Hex);

    /// <summary>Whether the store has the blob.</summary>
    public bool HasBlob(Digest digest) => File.Exists(BlobPath(digest));

    /// <summary>Stores a blob, verifying its digest and size; atomic.</summary>
    /// <exception cref="DockyardException">The bytes do not match the descriptor.</exception>
    public async Task WriteBlobAsync(Descriptor descriptor, Stream content, CancellationToken ct)
    {
        var digest = descriptor.Validate($"local store {Root}");
        var path = BlobPath(digest);
        if (File.Exists(path) && new FileInfo(path).Length == descriptor.Size) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await using (var verifying = new DigestVerifyingStream(content, descriptor, $"local store {Root}", Timeout.InfiniteTimeSpan, damaged: "its source is damaged; read the image again"))
                await verifying.CopyToAsync(file, 1 << 16, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Opens a stored blob; the stream checks the bytes against the descriptor.</summary>
    /// <exception cref="DockyardException">The blob is missing.</exception>
    public Task<Stream> OpenBlobAsync(Descriptor descriptor, CancellationToken ct) =>
        new VerifiedFileBlobSource(BlobPath(descriptor.Validate($"local store {Root}")), descriptor, $"local store {Root}").OpenAsync(ct);

    /// <summary>The image named <paramref name="name"/> (normalised: <c>app</c> is <c>docker.io/library/app:latest</c>), or null.</summary>
    public LocalImageEntry? Find(string name)
    {
        var full = Normalize(name);
        return List().FirstOrDefault(e => e.Name == full);
    }

    /// <summary>Every named image.</summary>
    public IReadOnlyList<LocalImageEntry> List()
    {
        if (!File.Exists(IndexPath)) return [];
        var index = MultiPlatformImage.ParseIndex(File.ReadAllBytes(IndexPath), $"local store {Root}: index.json");
        return index.Manifests
            .Where(m => m.Annotations?.ContainsKey(OciLayoutSink.RefNameAnnotation) == true)
            .Select(m => new LocalImageEntry(m.Annotations![OciLayoutSink.RefNameAnnotation], m with { Annotations = null },
                m.Annotations.TryGetValue(CreatedAnnotation, out var c) && DateTimeOffset.TryParse(c, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : DateTimeOffset.UnixEpoch))
            .ToList();
    }

    /// <summary>Adds <paramref name="name"/> for the manifest or index <paramref name="top"/>, or moves it there.</summary>
    public void SetName(string name, Descriptor top)
    {
        var full = Normalize(name);
        top.Validate($"local store {Root}");
        WithLockedIndex(entries =>
        {
            entries.RemoveAll(e => e["annotations"]?[OciLayoutSink.RefNameAnnotation]?.GetValue<string>() == full);
            var annotated = top with
            {
                Platform = null,
                Annotations = new Dictionary<string, string>
                {
                    [OciLayoutSink.RefNameAnnotation] = full, [ContainerdName] = full,
                    [CreatedAnnotation] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                },
            };
            entries.Add(JsonSerializer.SerializeToNode(annotated, ImageJson.Options)!);
            return true;
        });
    }

    /// <summary>Removes <paramref name="name"/>; blobs no longer reachable from <c>index.json</c> are deleted.</summary>
    public bool RemoveName(string name)
    {
        var full = Normalize(name);
        var removed = false;
        WithLockedIndex(entries =>
        {
            removed = entries.RemoveAll(e => e["annotations"]?[OciLayoutSink.RefNameAnnotation]?.GetValue<string>() == full) > 0;
            return removed;
        });
        if (removed) CollectGarbage();
        return removed;
    }

    private static string Normalize(string name) =>
        ImageReference.TryParse(name, out var reference, out var error) ? reference.ToString()
        : throw new DockyardException($"local:{name}: not an image name ({error}). Write NAME[:TAG], e.g. local:team/app:1.0.");

    private void WithLockedIndex(Func<List<JsonNode>, bool> change)
    {
        Directory.CreateDirectory(Path.Combine(Root, "blobs", "sha256"));
        using var lockFile = AcquireLock();
        var entries = new List<JsonNode>();
        if (File.Exists(IndexPath) && JsonNode.Parse(File.ReadAllBytes(IndexPath))?["manifests"] is JsonArray old)
            entries.AddRange(old.Where(n => n is not null).Select(n => n!.DeepClone()));
        if (!change(entries)) return;
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = MediaTypes.OciIndex, ["manifests"] = new JsonArray(entries.ToArray()) };
        BlobWriter.WriteFileAtomically(Path.Combine(Root, "oci-layout"), t => File.WriteAllBytes(t, LayoutJson.OciLayoutFile), $"local store {Root}");
        BlobWriter.WriteFileAtomically(IndexPath, t => File.WriteAllBytes(t, JsonSerializer.SerializeToUtf8Bytes(index, ImageJson.Options)), $"local store {Root}");
    }

    private FileStream AcquireLock()
    {
        var path = Path.Combine(Root, "index.json.lock");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                Thread.Sleep(50);
            }
        }
    }

    private void CollectGarbage()
    {
        using var lockFile = AcquireLock();
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<Descriptor>(List().Select(e => e.Descriptor));
        while (pending.Count > 0)
        {
            var descriptor = pending.Pop();
            if (!reachable.Add(descriptor.Digest)) continue;
            var path = BlobPath(Digest.Parse(descriptor.Digest));
            if (!File.Exists(path)) continue;
            if (MediaTypes.IsIndex(descriptor.MediaType))
                foreach (var child in MultiPlatformImage.ParseIndex(File.ReadAllBytes(path), $"local store {Root}").Manifests) pending.Push(child);
            else if (MediaTypes.IsManifest(descriptor.MediaType))
            {
                var manifest = Image.ParseManifest(File.ReadAllBytes(path), $"local store {Root}");
                pending.Push(manifest.Config);
                foreach (var layer in manifest.Layers) pending.Push(layer);
            }
        }
        var blobs = Path.Combine(Root, "blobs", "sha256");
        if (!Directory.Exists(blobs)) return;
        foreach (var file in Directory.EnumerateFiles(blobs))
            if (!reachable.Contains("sha256:" + Path.GetFileName(file))) File.Delete(file);
    }
}

/// <summary>One named image of the store.</summary>
/// <param name="Name">The full normalised reference.</param>
/// <param name="Descriptor">The manifest or index it names.</param>
/// <param name="Created">When the name was set.</param>
public sealed record LocalImageEntry(string Name, Descriptor Descriptor, DateTimeOffset Created);
