using Dockyard.Images.Transfer;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes an OCI archive: an uncompressed tar of an OCI image layout (<c>skopeo … oci-archive:FILE:TAG</c>), with
/// the same deterministic entry rules as layers, so the same image gives the same archive bytes. The layout is
/// assembled (and verified) in a temp directory beside the file, then the tar replaces the file atomically.
/// </summary>
public sealed class OciArchiveSink(string path, IReadOnlyList<string> tags) : IImageSink
{
    /// <inheritdoc />
    public string Name { get; } = $"oci-archive:{path}" + (tags.Count == 0 ? "" : ":" + tags[0]);

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        content = OciLayoutSink.ToOci(content);
        var full = Path.GetFullPath(path);
        BlobWriter.RefuseNonRegular(full, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staging = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + ".layout-" + Guid.NewGuid().ToString("N"));
        try
        {
            var written = await new OciLayoutSink(staging, tags, Name).WriteAsync(content, cancellationToken);
            var contents = new LayerBuilder(ReproducibleTimestamp.FromEnvironment());
            contents.AddFile("oci-layout", LayerContent.FromBytes(LayoutJson.OciLayoutFile));
            contents.AddFile("index.json", LayerContent.FromBytes(await File.ReadAllBytesAsync(Path.Combine(staging, "index.json"), cancellationToken)));
            foreach (var blob in OciLayoutSink.Blobs(content))
            {
                var hex = Digest.Parse(blob.Descriptor.Digest).Hex;
                ArchiveFile.AddFile(contents, $"blobs/sha256/{hex}", Path.Combine(staging, "blobs", "sha256", hex), blob.Descriptor.Digest);
            }
            ArchiveFile.Write(full, contents, Name);
            return written with { BlobsWritten = written.BlobsWritten + written.BlobsExisting, BlobsExisting = 0, BytesWritten = new FileInfo(full).Length };
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }
}
