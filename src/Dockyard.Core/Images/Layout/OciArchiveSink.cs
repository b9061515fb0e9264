using Dockyard.Images.Transfer;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes an OCI archive: an uncompressed tar of an OCI image layout (<c>skopeo … oci-archive:FILE:TAG</c>), with
/// the same deterministic entry rules as layers, so the same image gives the same archive bytes. The layout is
/// assembled (and verified) in a temp directory beside the file, then the tar replaces the file atomically; a FIFO,
/// a character device or <c>-</c> (standard output) is streamed into instead (<see cref="ArchiveDestination"/>).
/// </summary>
public sealed class OciArchiveSink(string path, IReadOnlyList<string> tags) : IImageSink
{
    /// <summary>Opens the front's standard output, for <c>-</c> as the path (<c>null</c>: the front has none).</summary>
    internal Func<Stream>? StandardOutput { get; init; }

    /// <inheritdoc />
    public string Name { get; } = $"oci-archive:{path}" + (tags.Count == 0 ? "" : ":" + tags[0]);

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        content = OciLayoutSink.ToOci(content);
        var destination = ArchiveDestination.Resolve(path, Name, StandardOutput);
        var staging = destination.CreateStaging("layout-");
        try
        {
            var layout = Path.Combine(staging.FullName, "layout");
            var written = await new OciLayoutSink(layout, tags, Name).WriteAsync(content, cancellationToken);
            var contents = new LayerBuilder(ReproducibleTimestamp.Default);
            contents.AddFile("oci-layout", LayerContent.FromBytes(LayoutJson.OciLayoutFile));
            contents.AddFile("index.json", LayerContent.FromBytes(await File.ReadAllBytesAsync(Path.Combine(layout, "index.json"), cancellationToken)));
            foreach (var blob in OciLayoutSink.Blobs(content))
            {
                var hex = Digest.Parse(blob.Descriptor.Digest).Hex;
                ArchiveFile.AddFile(contents, $"blobs/sha256/{hex}", Path.Combine(layout, "blobs", "sha256", hex), blob.Descriptor.Digest);
            }
            var bytes = ArchiveFile.Write(destination, contents, Name);
            return written with { BlobsWritten = written.BlobsWritten + written.BlobsExisting, BlobsExisting = 0, BytesWritten = bytes };
        }
        finally
        {
            staging.Delete(recursive: true);
        }
    }
}
