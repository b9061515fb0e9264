using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Registries;
using Dockyard.Registries.References;

namespace Dockyard.Builders.Native;

/// <summary>
/// Loads the image a <c>FROM</c> or <c>COPY --from</c> names: <c>oci:DIR[:TAG]</c> (an OCI image layout on disk),
/// <c>docker-archive:FILE[:REF]</c> (a <c>docker save</c> archive) or a registry reference, whose manifest is chosen
/// for the build platform and whose layers are downloaded into the layer cache.
/// </summary>
public sealed class BaseImageLoader(LayerCache cache, RegistryClient? registry)
{
    /// <summary>The prefix of an OCI image layout reference.</summary>
    public const string OciPrefix = "oci:";

    /// <summary>The prefix of a docker archive reference.</summary>
    public const string DockerArchivePrefix = "docker-archive:";

    private readonly Dictionary<string, SourceImage> _loaded = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="reference"/> for <paramref name="platform"/>; <paramref name="where"/> names the line for errors.</summary>
    /// <exception cref="DockyardException">The image cannot be found or read.</exception>
    public async Task<SourceImage> LoadAsync(string reference, Platform platform, string where, CancellationToken cancellationToken = default)
    {
        var key = reference + "|" + platform;
        if (_loaded.TryGetValue(key, out var known)) return known;
        SourceImage image;
        if (reference.StartsWith(OciPrefix, StringComparison.Ordinal))
        {
            var (path, tag) = SplitTag(reference[OciPrefix.Length..]);
            image = OciLayoutReader.Read(path, tag, platform);
        }
        else if (reference.StartsWith(DockerArchivePrefix, StringComparison.Ordinal))
        {
            var (path, name) = SplitTag(reference[DockerArchivePrefix.Length..]);
            image = DockerArchiveReader.Read(path, cache, name);
        }
        else
        {
            image = await PullAsync(reference, platform, where, cancellationToken);
        }
        _loaded[key] = image;
        return image;
    }

    private async Task<SourceImage> PullAsync(string text, Platform platform, string where, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(text, out var reference, out var error))
            throw new DockyardException($"{where}: '{text}' is not an image reference ({error}). Write REGISTRY/REPOSITORY:TAG, oci:DIR[:TAG] or docker-archive:FILE.");
        if (registry is null)
            throw new DockyardException($"{where}: pulling {reference} needs a registry client; none was configured.");
        var requested = reference;
        var (_, manifestContent, origin) = await registry.ResolvePullAsync(reference, platform, cancellationToken);
        reference = origin.Source; // registries.conf may send the pull elsewhere; every blob comes from where the manifest did
        var manifest = manifestContent.ParseManifest();
        var configBytes = await registry.GetBlobBytesAsync(reference, manifest.Config, cancellationToken);
        var config = ImageConfig.Parse(configBytes, $"config of {reference}");
        var layers = new List<ImageLayer>();
        var diffIds = config.DiffIds;
        if (diffIds.Count != manifest.Layers.Count)
            throw new DockyardException($"{where}: {reference} lists {manifest.Layers.Count} layers but its config has {diffIds.Count} diff_ids; the image is damaged.");
        for (var i = 0; i < manifest.Layers.Count; i++)
        {
            var layer = manifest.Layers[i];
            var path = cache.BlobPath(Digest.Parse(layer.Digest));
            if (!File.Exists(path))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
                await registry.DownloadBlobAsync(reference, layer, partial, cancellationToken);
                File.Move(partial, path, overwrite: true);
            }
            layers.Add(new ImageLayer(layer, diffIds[i], cache));
        }
        return new SourceImage
        {
            Name = requested.ToString(),
            PulledFrom = origin.Rule is null ? null : origin.ToString(),
            Format = ImageFormats.FromMediaType(manifestContent.MediaType) ?? ImageFormat.Oci,
            Config = config,
            Layers = layers,
            ManifestDescriptor = manifestContent.ToDescriptor(),
        };
    }

    private static (string Path, string? Tag) SplitTag(string text)
    {
        // A tag cannot contain '/', so a colon after the last '/' separates it.
        var colon = text.LastIndexOf(':');
        return colon > text.LastIndexOf('/') && colon > 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
