using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>
/// Writes an OCI archive: an uncompressed tar of an OCI image layout (<c>skopeo … oci-archive:FILE:TAG</c>), with
/// the same deterministic entry rules as layers, so the same image gives the same archive bytes.
/// </summary>
public static class OciArchiveWriter
{
    /// <summary>Writes one image under each of <paramref name="tags"/>.</summary>
    public static void Write(string path, BuiltImage image, IReadOnlyList<string> tags) =>
        Write(path, BlobFile.Distinct([image]), OciLayoutWriter.IndexJson(image.ManifestDescriptor with { Platform = null }, tags));

    /// <summary>Writes a multi-platform index under each of <paramref name="tags"/>.</summary>
    public static void Write(string path, BuiltIndex index, IReadOnlyList<string> tags) =>
        Write(path, BlobFile.Distinct(index.Images, BlobFile.FromBytes(index.IndexBytes)), OciLayoutWriter.IndexJson(index.Descriptor, tags));

    private static void Write(string path, IReadOnlyList<BlobFile> blobs, byte[] indexJson)
    {
        var contents = new LayerBuilder(ReproducibleTimestamp.FromEnvironment());
        contents.AddFile("oci-layout", LayerContent.FromBytes(LayoutJson.OciLayoutFile));
        contents.AddFile("index.json", LayerContent.FromBytes(indexJson));
        foreach (var blob in blobs) ArchiveFile.AddBlob(contents, $"blobs/sha256/{blob.Digest.Hex}", blob);
        ArchiveFile.Write(path, contents);
    }
}
