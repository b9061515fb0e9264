using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes a <c>docker load</c> archive like <c>docker save</c>'s classic format: <c>manifest.json</c>
/// (<c>Config</c>, <c>RepoTags</c>, <c>Layers</c>), <c>repositories</c>, <c>&lt;config hex&gt;.json</c> and one
/// uncompressed <c>&lt;diff_id hex&gt;/layer.tar</c> per layer. For an index every platform's image is written and the
/// tags go to the image of <c>preferredPlatform</c> (default: this machine's, else the first): one tag names one image.
/// </summary>
public static class DockerArchiveWriter
{
    /// <summary>Writes one image tagged with <paramref name="tags"/> (full references such as <c>registry:5000/app:1.0</c>).</summary>
    public static void Write(string path, BuiltImage image, IReadOnlyList<string> tags) => Write(path, [image], image, tags);

    /// <summary>Writes every image of <paramref name="index"/>; only the preferred platform's image carries the tags.</summary>
    public static void Write(string path, BuiltIndex index, IReadOnlyList<string> tags, Platform? preferredPlatform = null)
    {
        var preferred = preferredPlatform ?? Platform.Current;
        var tagged = index.Images.FirstOrDefault(i => i.Platform.Os == preferred.Os && i.Platform.Architecture == preferred.Architecture) ?? index.Images[0];
        Write(path, index.Images, tagged, tags);
    }

    private static void Write(string path, IReadOnlyList<BuiltImage> images, BuiltImage tagged, IReadOnlyList<string> tags)
    {
        var repoTags = tags.Select(NormalizeTag).ToList();
        var contents = new LayerBuilder(ReproducibleTimestamp.FromEnvironment());
        var manifest = new JsonArray();
        var repositories = new JsonObject();
        foreach (var image in images)
        {
            var configName = image.ConfigDigest.Hex + ".json";
            contents.AddFile(configName, LayerContent.FromBytes(image.ConfigBytes));
            var diffIds = image.Config.DiffIds;
            var layerNames = new JsonArray();
            for (var i = 0; i < image.Layers.Count; i++)
            {
                var name = $"{diffIds[i].Hex}/layer.tar";
                contents.AddFile(name, UncompressedLayer(image.Layers[i], diffIds[i]));
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
                    repo[tag[(colon + 1)..]] = diffIds.Count > 0 ? diffIds[^1].Hex : image.ConfigDigest.Hex;
                }
            }
            manifest.Add(entry);
        }
        contents.AddFile("manifest.json", LayerContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(manifest, ImageJson.Options)));
        if (repositories.Count > 0) contents.AddFile("repositories", LayerContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(repositories, ImageJson.Options)));
        ArchiveFile.Write(path, contents);
    }

    /// <summary>The uncompressed tar of a layer as file content; its size is measured first when unknown.</summary>
    private static LayerContent UncompressedLayer(ImageLayer layer, Digest diffId)
    {
        var compression = ImageFormats.CompressionOf(layer.Descriptor.MediaType);
        Stream Open() => LayerBlobWriter.OpenDecompressor(layer.Source.OpenBlob(layer.Descriptor), compression);
        var size = layer.DiffSize ?? Measure(Open);
        return LayerContent.FromStream(Open, size, diffId.ToString());
    }

    private static long Measure(Func<Stream> open)
    {
        using var stream = open();
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer)) > 0) total += read;
        return total;
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
