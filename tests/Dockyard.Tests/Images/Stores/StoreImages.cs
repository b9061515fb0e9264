using System.Text;
using System.Text.Json;
using Dockyard.Images;
using Dockyard.Images.Stores;
using Dockyard.Layers;

namespace Dockyard.Tests.Images.Stores;

/// <summary>Small real images (built with <see cref="ImageBuilder"/>) written blob by blob into a <see cref="LocalImageStore"/>.</summary>
internal static class StoreImages
{
    public static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    /// <summary>An image of a shared base layer plus one layer holding <paramref name="content"/>.</summary>
    public static Image Build(string cacheDirectory, string content, string baseContent = "base\n")
    {
        var cache = new LayerCache(cacheDirectory);
        var baseLayer = new LayerBuilder(Epoch).AddFile("etc/base.txt", LayerContent.FromBytes(Encoding.UTF8.GetBytes(baseContent))).Build(cache);
        var app = new LayerBuilder(Epoch).AddFile("app/content.txt", LayerContent.FromBytes(Encoding.UTF8.GetBytes(content))).Build(cache);
        var builder = new ImageBuilder(Platform.Current, ImageFormat.Oci, Epoch);
        builder.AddLayer(baseLayer, cache, BuildKitHistory.Copy(["base.txt"], "/etc/"));
        builder.AddLayer(app, cache, BuildKitHistory.Copy(["content.txt"], "/app/"));
        builder.Config.Cmd = ["/bin/cat", "/app/content.txt"];
        return builder.Build();
    }

    /// <summary>Writes every blob of <paramref name="image"/> (layers, config, manifest) into the store.</summary>
    public static async Task WriteBlobsAsync(LocalImageStore store, Image image)
    {
        foreach (var layer in image.Layers)
            await using (var stream = await layer.Blob.OpenAsync(CancellationToken.None)) await store.WriteBlobAsync(layer.Descriptor, stream, CancellationToken.None);
        await store.WriteBlobAsync(image.Manifest.Config, new MemoryStream(image.ConfigBytes), CancellationToken.None);
        await store.WriteBlobAsync(image.ManifestDescriptor with { Platform = null }, new MemoryStream(image.ManifestBytes), CancellationToken.None);
    }

    /// <summary>Writes the image's blobs and names it.</summary>
    public static async Task<Image> AddAsync(LocalImageStore store, string cacheDirectory, string name, string content)
    {
        var image = Build(cacheDirectory, content);
        await WriteBlobsAsync(store, image);
        store.SetName(name, image.ManifestDescriptor with { Platform = null });
        return image;
    }

    /// <summary>Writes a blob from bytes and returns its descriptor.</summary>
    public static async Task<Descriptor> WriteBytesAsync(LocalImageStore store, string mediaType, byte[] bytes)
    {
        var descriptor = new Descriptor { MediaType = mediaType, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };
        await store.WriteBlobAsync(descriptor, new MemoryStream(bytes), CancellationToken.None);
        return descriptor;
    }

    /// <summary>The <c>index.json</c> of the store, parsed.</summary>
    public static JsonElement Index(LocalImageStore store)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store.Root, "index.json")));
        return document.RootElement.Clone();
    }

    /// <summary>Every blob of the store, checked against its file name; returns their digests.</summary>
    public static IReadOnlyList<string> VerifiedBlobs(LocalImageStore store)
    {
        var directory = Path.Combine(store.Root, "blobs", "sha256");
        if (!Directory.Exists(directory)) return [];
        var digests = new List<string>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            var digest = Digest.Parse("sha256:" + Path.GetFileName(file));
            Assert.True(digest.Matches(File.ReadAllBytes(file)), $"blob {digest} does not match its content");
            digests.Add(digest.ToString());
        }
        return digests;
    }
}
