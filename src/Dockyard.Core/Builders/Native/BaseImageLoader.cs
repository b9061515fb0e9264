using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.DockerArchive;
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

    private readonly Dictionary<string, Image> _loaded = new(StringComparer.Ordinal);

    /// <summary>Loads <paramref name="reference"/> for <paramref name="platform"/>; <paramref name="where"/> names the line for errors.</summary>
    /// <exception cref="DockyardException">The image cannot be found or read.</exception>
    public async Task<Image> LoadAsync(string reference, Platform platform, string where, CancellationToken cancellationToken = default)
    {
        var key = reference + "|" + platform;
        if (_loaded.TryGetValue(key, out var known)) return known;
        Image image;
        if (reference.StartsWith(OciPrefix, StringComparison.Ordinal))
        {
            var (path, tag) = SplitTag(reference[OciPrefix.Length..]);
            image = await new OciLayoutSource(path, tag).ReadImageAsync(platform, cancellationToken);
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

    private async Task<Image> PullAsync(string text, Platform platform, string where, CancellationToken cancellationToken)
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
        var image = Image.FromBytes(reference.ToString(), manifestContent.Bytes, manifestContent.MediaType, configBytes, cache.Blob);
        foreach (var layer in manifest.Layers)
        {
            var path = cache.BlobPath(Digest.Parse(layer.Digest));
            if (File.Exists(path)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var partial = path + "." + Guid.NewGuid().ToString("N") + ".partial";
            await registry.DownloadBlobAsync(reference, layer, partial, cancellationToken);
            File.Move(partial, path, overwrite: true);
        }
        return origin.Rule is null ? image.Named(requested.ToString()) : image.Named(requested.ToString(), origin.ToString());
    }

    private static (string Path, string? Tag) SplitTag(string text)
    {
        // A tag cannot contain '/', so a colon after the last '/' separates it.
        var colon = text.LastIndexOf(':');
        return colon > text.LastIndexOf('/') && colon > 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
