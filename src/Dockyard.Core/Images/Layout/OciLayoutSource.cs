using Dockyard.Diagnostics;
using Dockyard.Images.Transfer;

namespace Dockyard.Images.Layout;

/// <summary>
/// An image in an OCI image layout directory (<c>oci:DIR[:TAG]</c>): the <c>index.json</c> entry is picked by tag
/// (<c>org.opencontainers.image.ref.name</c>) or as the only entry; every descriptor is validated before use and
/// every blob (manifests, configs, layers) is checked against its digest and size when read.
/// </summary>
public sealed class OciLayoutSource : IImageSource
{
    private readonly string _directory;
    private readonly string? _tag;

    /// <summary>A source over <paramref name="directory"/>; <paramref name="name"/> overrides the name in messages.</summary>
    public OciLayoutSource(string directory, string? tag, string? name = null)
    {
        _directory = Path.GetFullPath(directory);
        _tag = tag;
        Name = name ?? $"oci:{directory}" + (tag is null ? "" : ":" + tag);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken)
    {
        var top = FindTop();
        var store = new Store(_directory);
        var bytes = await store.ReadManifestAsync(top, Name, cancellationToken);
        return await ContentReader.ReadAsync(store, bytes, top.MediaType, Name, options, cancellationToken);
    }

    /// <summary>Reads one platform's image (a build base: <c>FROM oci:DIR[:TAG]</c>).</summary>
    public async Task<Image> ReadImageAsync(Platform? platform, CancellationToken cancellationToken) =>
        (Image)await ReadAsync(new ImageReadOptions { Platform = platform }, cancellationToken);

    /// <summary>The <c>index.json</c> entry the tag names (or the only one).</summary>
    private Descriptor FindTop()
    {
        var indexPath = Path.Combine(_directory, "index.json");
        if (!File.Exists(Path.Combine(_directory, "oci-layout")) || !File.Exists(indexPath))
            throw new DockyardException($"{Name}: '{_directory}' is not an OCI image layout (no oci-layout or index.json file).");
        var entries = MultiPlatformImage.ParseIndex(File.ReadAllBytes(indexPath), $"{Name}: index.json").Manifests;
        if (_tag is not null)
            return entries.FirstOrDefault(e => e.Annotations?.GetValueOrDefault(OciLayoutSink.RefNameAnnotation) == _tag)
                ?? throw new DockyardException($"{Name}: no image is tagged '{_tag}'; tags in the layout: {TagList(entries)}.");
        if (entries.Count == 1) return entries[0];
        throw new DockyardException($"{Name}: the layout holds {entries.Count} images; name one with oci:DIR:TAG (tags: {TagList(entries)}).");
    }

    private static string TagList(IEnumerable<Descriptor> entries)
    {
        var tags = entries.Select(e => e.Annotations?.GetValueOrDefault(OciLayoutSink.RefNameAnnotation)).OfType<string>().ToList();
        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }

    /// <summary>The blobs directory of a layout, read with verification.</summary>
    internal sealed class Store(string directory) : IContentStore
    {
        public async Task<byte[]> ReadManifestAsync(Descriptor descriptor, string where, CancellationToken cancellationToken) =>
            await ReadBlobAsync(descriptor, where, cancellationToken);

        public async Task<byte[]> ReadBlobAsync(Descriptor descriptor, string where, CancellationToken cancellationToken)
        {
            var path = PathOf(descriptor, where);
            if (!File.Exists(path))
                throw new DockyardException($"{where}: blob {descriptor.Digest} is missing from blobs/; copy the layout again.");
            if (descriptor.Size > 64L << 20)
                throw new DockyardException($"{where}: manifest or config {descriptor.Digest} claims {descriptor.Size} bytes; refusing to read it into memory.");
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            if (bytes.Length != descriptor.Size || !Digest.Parse(descriptor.Digest).Matches(bytes))
                throw new DockyardException($"{where}: blob {descriptor.Digest} does not match its digest or size; the layout is damaged or the blob was replaced.");
            return bytes;
        }

        public IBlobSource Blob(Descriptor descriptor, string where) => new VerifiedFileBlobSource(PathOf(descriptor, where), descriptor, where);

        private string PathOf(Descriptor descriptor, string where)
        {
            var digest = descriptor.Validate(where);
            return Path.Combine(directory, "blobs", digest.Algorithm, digest.Hex);
        }
    }
}
