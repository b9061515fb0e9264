using Dockyard.Diagnostics;
using Dockyard.Images.Layout;
using Dockyard.Images.Transfer;

namespace Dockyard.Images.Stores;

/// <summary>An image of the local store (<c>local:NAME[:TAG]</c>), read like an OCI layout: every blob verified.</summary>
public sealed class LocalStoreSource(LocalImageStore store, string name) : IImageSource
{
    /// <inheritdoc />
    public string Name => $"local:{name}";

    /// <inheritdoc />
    public async Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken)
    {
        var entry = store.Find(name)
            ?? throw new DockyardException($"{Name}: the local image store ({store.Root}) has no image named {name}; build or copy one there first (dockyard image copy SRC local:{name}).");
        var layout = new OciLayoutSource.Store(store.Root);
        var top = await layout.ReadManifestAsync(entry.Descriptor, Name, cancellationToken);
        return await ContentReader.ReadAsync(layout, top, entry.Descriptor.MediaType, Name, options, cancellationToken);
    }
}

/// <summary>Writes an image or index into the local store under every name given (blobs verified, names set last).</summary>
public sealed class LocalStoreSink(LocalImageStore store, IReadOnlyList<string> names) : IImageSink
{
    /// <inheritdoc />
    public string Name => $"local:{names[0]}";

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        int written = 0, existing = 0;
        long bytes = 0;
        foreach (var blob in OciLayoutSink.Blobs(content))
        {
            var digest = blob.Descriptor.Validate(Name);
            if (store.HasBlob(digest) && new FileInfo(store.BlobPath(digest)).Length == blob.Descriptor.Size)
            {
                existing++;
                continue;
            }
            await using (var stream = await blob.Source.OpenAsync(cancellationToken))
                await store.WriteBlobAsync(blob.Descriptor, stream, cancellationToken);
            written++;
            bytes += blob.Descriptor.Size;
        }
        foreach (var name in names) store.SetName(name, content.Descriptor);
        var tags = names.Select(n => store.Find(n)?.Name ?? n).ToList();
        return new ImageWriteResult(content.Digest, tags, content.Images.Count + (content is MultiPlatformImage m ? 1 + m.Others.Count : 0), written, 0, existing, bytes);
    }
}
