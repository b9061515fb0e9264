using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Tests.Infrastructure;

/// <summary>A blob of a test image: its descriptor and bytes.</summary>
public sealed record TestBlob(Descriptor Descriptor, byte[] Bytes)
{
    /// <summary>The blob as something to push.</summary>
    public BlobToPush ToPush(string? mountFrom = null) => new(Descriptor, new BytesBlobSource(Bytes), mountFrom);
}

/// <summary>A small image built in memory: config, layers and OCI manifest (exact bytes).</summary>
public sealed record TestImage(ManifestContent Manifest, TestBlob Config, IReadOnlyList<TestBlob> Layers, Platform Platform)
{
    /// <summary>Config and layers.</summary>
    public IReadOnlyList<TestBlob> Blobs => [Config, .. Layers];

    /// <summary>Pushes the image with Dockyard's client under <paramref name="target"/> (plus extra tags).</summary>
    public Task<PushResult> PushAsync(RegistryClient client, ImageReference target, params string[] extraTags) =>
        client.PushImageAsync(target, Manifest, Blobs.Select(b => b.ToPush()).ToList(), extraTags);
}

/// <summary>
/// Builds small, deterministic multi-layer test images: a layer with <c>/bin/busybox</c> (Debian busybox-static) and
/// a <c>sh</c> symlink, a layer with a text file, optionally a layer of seeded random bytes (for chunked uploads);
/// config JSON with history. Also writes OCI layouts so that skopeo can push an image independently of Dockyard.
/// </summary>
public static class TestImages
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly Lazy<TestBlob> BusyboxLayer = new(() => Gzip(Tar(w =>
    {
        AddDirectory(w, "bin/");
        AddFile(w, "bin/busybox", File.ReadAllBytes("/bin/busybox"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        w.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "bin/sh") { LinkName = "busybox", ModificationTime = Epoch });
    })));

    /// <summary>
    /// Creates an image for <paramref name="platform"/> (default linux/amd64) whose text layer says
    /// <paramref name="text"/>; <paramref name="randomLayerBytes"/> &gt; 0 adds <paramref name="randomLayers"/>
    /// uncompressed layers of that many seeded random bytes each.
    /// </summary>
    public static TestImage Create(string text = "hello from dockyard", Platform? platform = null, int randomLayerBytes = 0, int seed = 1, bool busybox = true, int randomLayers = 1)
    {
        platform ??= new Platform("linux", "amd64");
        var layers = new List<(TestBlob Blob, string DiffId, string CreatedBy)>();
        if (busybox) layers.Add((BusyboxLayer.Value, DiffIdOfGzip(BusyboxLayer.Value.Bytes), "COPY /bin/busybox /bin/"));
        var textLayer = Gzip(Tar(w =>
        {
            AddDirectory(w, "etc/");
            AddDirectory(w, "etc/dockyard/");
            AddFile(w, "etc/dockyard/message.txt", Encoding.UTF8.GetBytes(text + "\n"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }));
        layers.Add((textLayer, DiffIdOfGzip(textLayer.Bytes), "COPY message.txt /etc/dockyard/"));
        var generator = new Random(seed);
        for (var i = 0; randomLayerBytes > 0 && i < randomLayers; i++)
        {
            var random = new byte[randomLayerBytes];
            generator.NextBytes(random);
            var tar = Tar(w => AddFile(w, $"data{i}.bin", random, UnixFileMode.UserRead | UnixFileMode.UserWrite));
            var blob = new TestBlob(Describe(MediaTypes.OciLayerTar, tar), tar);
            layers.Add((blob, blob.Descriptor.Digest, $"COPY data{i}.bin /"));
        }

        var history = new JsonArray(layers.Select(l => (JsonNode)new JsonObject { ["created"] = Epoch.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["created_by"] = l.CreatedBy }).ToArray());
        history.Add(new JsonObject { ["created"] = Epoch.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["created_by"] = "CMD [\"/bin/sh\"]", ["empty_layer"] = true });
        var config = new JsonObject
        {
            ["created"] = Epoch.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["config"] = new JsonObject
            {
                ["Env"] = new JsonArray("PATH=/bin", "MESSAGE=" + text),
                ["Cmd"] = new JsonArray("/bin/sh"),
                ["WorkingDir"] = "/",
                ["Labels"] = new JsonObject { ["org.opencontainers.image.title"] = "dockyard-test" },
            },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray(layers.Select(l => (JsonNode)l.DiffId).ToArray()) },
            ["history"] = history,
        };
        if (platform.Variant is not null) config["variant"] = platform.Variant;
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configBlob = new TestBlob(Describe(MediaTypes.OciConfig, configBytes), configBytes);
        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = configBlob.Descriptor,
            Layers = layers.Select(l => l.Blob.Descriptor).ToList(),
        };
        var manifestBytes = JsonSerializer.SerializeToUtf8Bytes(manifest, Json);
        return new TestImage(ManifestContent.FromBytes(manifestBytes, MediaTypes.OciManifest, "test image"), configBlob, layers.Select(l => l.Blob).ToList(), platform);
    }

    /// <summary>An OCI index over <paramref name="images"/> (one entry per image, with its platform).</summary>
    public static ManifestContent Index(IEnumerable<TestImage> images)
    {
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = images.Select(i => i.Manifest.ToDescriptor(new DescriptorPlatform { Os = i.Platform.Os, Architecture = i.Platform.Architecture, Variant = i.Platform.Variant })).ToList(),
        };
        return ManifestContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(index, Json), MediaTypes.OciIndex, "test index");
    }

    /// <summary>Pushes an index and its images with Dockyard's client.</summary>
    public static async Task<Digest> PushIndexAsync(RegistryClient client, ImageReference target, IReadOnlyList<TestImage> images)
    {
        foreach (var image in images) await image.PushAsync(client, target.WithDigest(image.Manifest.Digest));
        var index = Index(images);
        return (await client.PushImageAsync(target, index, [])).Digest;
    }

    /// <summary>Writes <paramref name="image"/> as an OCI image layout in <paramref name="directory"/>, tagged <paramref name="tag"/>.</summary>
    public static void WriteOciLayout(TestImage image, string directory, string tag)
    {
        var blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        foreach (var blob in image.Blobs) File.WriteAllBytes(Path.Combine(blobs, Digest.Parse(blob.Descriptor.Digest).Hex), blob.Bytes);
        File.WriteAllBytes(Path.Combine(blobs, image.Manifest.Digest.Hex), image.Manifest.Bytes);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var entry = image.Manifest.ToDescriptor() with { Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag } };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new ImageIndex { MediaType = MediaTypes.OciIndex, Manifests = [entry] }, Json));
    }

    /// <summary>Pushes <paramref name="image"/> with the real skopeo (from an OCI layout), independently of Dockyard's push code.</summary>
    public static async Task PushWithSkopeoAsync(TestImage image, RegistryServer registry, string repositoryAndTag)
    {
        using var layout = new TempDirectory("oci");
        WriteOciLayout(image, layout.Path, "t");
        (await ProcessRunner.RunAsync("skopeo", ["copy", "--preserve-digests", .. registry.SkopeoArguments("dest-"), $"oci:{layout.Path}:t", $"docker://{registry.Host}/{repositoryAndTag}"]))
            .EnsureSuccess("skopeo copy");
    }

    private static Descriptor Describe(string mediaType, byte[] bytes) =>
        new() { MediaType = mediaType, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };

    private static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true)) write(writer);
        return buffer.ToArray();
    }

    private static TestBlob Gzip(byte[] tar)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        var bytes = buffer.ToArray();
        return new TestBlob(new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length }, bytes);
    }

    private static string DiffIdOfGzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(input));
    }

    private static void AddDirectory(TarWriter writer, string name) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name)
        {
            ModificationTime = Epoch,
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
        });

    private static void AddFile(TarWriter writer, string name, byte[] content, UnixFileMode mode) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { ModificationTime = Epoch, Mode = mode, DataStream = new MemoryStream(content) });
}
