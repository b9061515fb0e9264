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
/// <c>oci-archive:FILE[:TAG]</c>, <c>docker-archive:FILE[:REF]</c> (a <c>docker save</c> archive), <c>local:NAME[:TAG]</c>
/// (the local image store) or a registry reference, whose manifest is chosen for the build platform and whose layers
/// are downloaded into the layer cache. Every blob read from a file, layout or store is checked against its digest.
/// </summary>
/// <param name="cache">The layer cache registry layers are downloaded into (oci-archive files are unpacked under it).</param>
/// <param name="registry">The registry client for references; <c>null</c> when the build may not pull.</param>
/// <param name="localStore">The local image store <c>local:</c> names are read from; <c>null</c> refuses them.</param>
/// <param name="preferLocalStore">
/// Whether a registry reference the local store holds under that name is taken from the store, as <c>docker build</c>
/// takes an image the daemon has (without <c>--pull</c>).
/// </param>
public sealed class BaseImageLoader(LayerCache cache, RegistryClient? registry, Images.Stores.LocalImageStore? localStore = null, bool preferLocalStore = false)
{
    /// <summary>The prefix of an OCI image layout reference.</summary>
    public const string OciPrefix = "oci:";

    /// <summary>The prefix of a docker archive reference.</summary>
    public const string DockerArchivePrefix = "docker-archive:";

    /// <summary>The prefix of an OCI archive reference.</summary>
    public const string OciArchivePrefix = "oci-archive:";

    /// <summary>The prefix of a local image store reference.</summary>
    public const string LocalPrefix = "local:";

    /// <summary>Whether <paramref name="reference"/> names a file, layout or store rather than a registry.</summary>
    public static bool IsLocal(string reference) =>
        reference.StartsWith(OciPrefix, StringComparison.Ordinal) || reference.StartsWith(OciArchivePrefix, StringComparison.Ordinal)
        || reference.StartsWith(DockerArchivePrefix, StringComparison.Ordinal) || reference.StartsWith(LocalPrefix, StringComparison.Ordinal);

    private readonly Dictionary<string, Image> _loaded = new(StringComparer.Ordinal);

    /// <summary>
    /// Makes Microsoft's .NET runtime images from this machine's runtime when their registry cannot be reached (a local
    /// run offline); <c>null</c> = such a pull fails as any other.
    /// </summary>
    public MachineRuntime.MachineRuntimeImages? MachineRuntime { get; init; }

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
        else if (reference.StartsWith(OciArchivePrefix, StringComparison.Ordinal))
        {
            var (path, tag) = SplitTag(reference[OciArchivePrefix.Length..]);
            image = await new OciArchiveSource(path, tag, Path.Combine(cache.Root, "oci-archives")).ReadImageAsync(platform, cancellationToken);
        }
        else if (reference.StartsWith(LocalPrefix, StringComparison.Ordinal))
        {
            var name = reference[LocalPrefix.Length..];
            if (localStore is null)
                throw new DockyardException($"{where}: '{reference}' names the local image store, which this build cannot read; build from a registry image, oci:DIR or docker-archive:FILE.");
            image = (Image)await new Images.Stores.LocalStoreSource(localStore, name).ReadAsync(new Images.Transfer.ImageReadOptions { Platform = platform }, cancellationToken);
        }
        else if (reference.StartsWith(DockerArchivePrefix, StringComparison.Ordinal))
        {
            var (path, name) = SplitTag(reference[DockerArchivePrefix.Length..]);
            image = DockerArchiveReader.Read(path, cache, name);
        }
        else if (preferLocalStore && localStore?.Find(reference) is { } stored)
        {
            image = (Image)await new Images.Stores.LocalStoreSource(localStore, stored.Name).ReadAsync(new Images.Transfer.ImageReadOptions { Platform = platform }, cancellationToken);
        }
        else
        {
            image = await PullOrMakeAsync(reference, platform, where, cancellationToken);
        }
        _loaded[key] = image;
        return image;
    }

    private async Task<Image> PullOrMakeAsync(string reference, Platform platform, string where, CancellationToken cancellationToken)
    {
        if (MachineRuntime is null || !Builders.MachineRuntime.MachineRuntimeImages.Covers(reference)) return await PullAsync(reference, platform, where, cancellationToken);
        DockyardException unreachable;
        try
        {
            return await PullAsync(reference, platform, where, cancellationToken);
        }
        catch (DockyardException error) when (Registries.Transport.Unreachable.Is(error))
        {
            unreachable = error;
        }

        return await MachineRuntime.TryCreateAsync(reference, platform, $"its registry is not reachable ({unreachable.Message})", cancellationToken)
            ?? throw new DockyardException($"{where}: {unreachable.Message}. This machine's .NET runtime does not serve that tag either (a local run offline makes .NET base images from it); make the registry reachable.", unreachable);
    }

    private async Task<Image> PullAsync(string text, Platform platform, string where, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(text, out var reference, out var error))
            throw new DockyardException($"{where}: '{text}' is not an image reference ({error}). Write REGISTRY/REPOSITORY:TAG, oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE or local:NAME[:TAG].");
        if (registry is null)
            throw new DockyardException($"{where}: pulling {reference} needs a registry client; none was configured.");
        var requested = reference;
        var (_, manifestContent, origin) = await registry.ResolvePullAsync(reference, platform, cancellationToken);
        reference = origin.Source; // registries.conf may send the pull elsewhere; every blob comes from where the manifest did
        var manifest = manifestContent.ParseManifest();
        var configBytes = await registry.GetBlobBytesAsync(reference, manifest.Config, cancellationToken);
        // Layers keep where they came from, so a push to the same registry mounts them instead of uploading them again.
        var pulledFrom = reference;
        var image = Image.FromBytes(reference.ToString(), manifestContent.Bytes, manifestContent.MediaType, configBytes,
            d => new Registries.Transfer.CachedRegistryBlobSource(cache.Blob(d), pulledFrom));
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
