using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Images.Layout;
using Dockyard.Images.Transfer;
using Dockyard.Layers;

namespace Dockyard.Images.DockerArchive;

/// <summary>
/// Writes a <c>docker load</c> archive like <c>docker save</c>'s classic format: <c>manifest.json</c>
/// (<c>Config</c>, <c>RepoTags</c>, <c>Layers</c>), <c>repositories</c>, <c>&lt;config hex&gt;.json</c> and one
/// uncompressed <c>&lt;diff_id hex&gt;/layer.tar</c> per layer. Each layer is decompressed once into a staging
/// directory beside the file and checked against its diff_id, then the tar replaces the file atomically (a FIFO, a
/// character device or <c>-</c>, standard output, is streamed into instead: <see cref="ArchiveDestination"/>). For an
/// index every platform's image is written and the tags go to the image of the preferred platform (default: this
/// machine's, else the first): one tag names one image.
/// </summary>
public sealed class DockerArchiveSink(string path, IReadOnlyList<string> tags, Platform? preferredPlatform = null) : IImageSink
{
    /// <summary>Opens the front's standard output, for <c>-</c> as the path (<c>null</c>: the front has none).</summary>
    internal Func<Stream>? StandardOutput { get; init; }

    /// <inheritdoc />
    public string Name { get; } = $"docker-archive:{path}" + (tags.Count == 0 ? "" : ":" + tags[0]);

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        var repoTags = tags.Select(NormalizeTag).ToList();
        var destination = ArchiveDestination.Resolve(path, Name, StandardOutput);
        var staging = destination.CreateStaging("layers-").FullName;
        try
        {
            var images = content.Images;
            if (images.Count == 0) throw new DockyardException($"{Name}: the source holds no runnable image to write.");
            var preferred = preferredPlatform ?? Platform.Current;
            var tagged = images.FirstOrDefault(i => i.Platform.Os == preferred.Os && i.Platform.Architecture == preferred.Architecture) ?? images[0];
            var contents = new LayerBuilder(ReproducibleTimestamp.Default);
            var manifest = new JsonArray();
            var repositories = new JsonObject();
            var added = new HashSet<string>(StringComparer.Ordinal);
            var spooled = new HashSet<string>(StringComparer.Ordinal);
            foreach (var image in images)
            {
                var configName = image.ConfigDigest.Hex + ".json";
                if (added.Add(configName)) contents.AddFile(configName, LayerContent.FromBytes(image.ConfigBytes));
                var layerNames = new JsonArray();
                foreach (var layer in image.Layers)
                {
                    var name = $"{layer.DiffId.Hex}/layer.tar";
                    // Every distinct blob is unpacked and checked, even when another blob already claimed its diff_id.
                    if (spooled.Add(layer.Descriptor.Digest))
                    {
                        var file = Path.Combine(staging, Digest.Parse(layer.Descriptor.Digest).Hex + ".tar");
                        await SpoolUncompressedAsync(layer, file, image.Name, cancellationToken);
                        if (added.Add(name)) ArchiveFile.AddFile(contents, name, file, layer.DiffId.ToString());
                    }
                    layerNames.Add(name);
                }
                var entry = new JsonObject { ["Config"] = configName, ["RepoTags"] = new JsonArray(), ["Layers"] = layerNames };
                if (ReferenceEquals(image, tagged))
                {
                    entry["RepoTags"] = new JsonArray(repoTags.Select(t => (JsonNode?)t).ToArray());
                    foreach (var tag in repoTags)
                    {
                        var colon = tag.LastIndexOf(':');
                        if (repositories[tag[..colon]] is not JsonObject repo) repositories[tag[..colon]] = repo = new JsonObject();
                        repo[tag[(colon + 1)..]] = image.Layers.Count > 0 ? image.Layers[^1].DiffId.Hex : image.ConfigDigest.Hex;
                    }
                }
                manifest.Add(entry);
            }
            contents.AddFile("manifest.json", LayerContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJson.Options)));
            if (repositories.Count > 0) contents.AddFile("repositories", LayerContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(repositories, ImageJson.Options)));
            var bytes = ArchiveFile.Write(destination, contents, Name);
            var digest = images.Count == 1 ? images[0].Digest : content.Digest;
            return new ImageWriteResult(digest, repoTags, images.Count, added.Count, 0, 0, bytes);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Decompresses a layer's blob into <paramref name="file"/>, checking its diff_id (a swapped blob is refused).</summary>
    private static async Task SpoolUncompressedAsync(ImageLayer layer, string file, string where, CancellationToken cancellationToken)
    {
        var compression = ImageFormats.CompressionOf(layer.Descriptor.MediaType);
        await using var blob = await layer.Blob.OpenAsync(cancellationToken);
        await using var tar = LayerBlobWriter.OpenDecompressor(blob, compression);
        await using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await using var digesting = new DigestingStream(output, leaveOpen: true);
        await tar.CopyToAsync(digesting, 1 << 16, cancellationToken);
        var actual = digesting.GetDigest();
        if (actual != layer.DiffId)
            throw new DockyardException($"{where}: layer {layer.Descriptor.Digest} unpacks to diff_id {actual} but the config says {layer.DiffId}; the image is damaged. Read it again from a good copy.");
    }

    /// <summary>A tag as <c>docker load</c> wants it: <c>name:tag</c> (":latest" added when the tag is missing).</summary>
    /// <exception cref="DockyardException">The reference is empty or carries a digest.</exception>
    internal static string NormalizeTag(string reference)
    {
        if (string.IsNullOrWhiteSpace(reference) || reference.Contains('@'))
            throw new DockyardException($"'{reference}' cannot tag an image in a docker archive; give name:tag, e.g. registry.example.com/app:1.0.");
        var lastSlash = reference.LastIndexOf('/');
        return reference.IndexOf(':', lastSlash + 1) < 0 ? reference + ":latest" : reference;
    }
}
