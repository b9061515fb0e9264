using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>The blobs one image or index needs on disk, with their content sources, collected once for every writer.</summary>
internal sealed record BlobFile(Digest Digest, long Size, Func<Stream> Open)
{
    /// <summary>The config, manifest and layer blobs of <paramref name="image"/>, layers first.</summary>
    public static IEnumerable<BlobFile> Of(BuiltImage image)
    {
        foreach (var layer in image.Layers)
        {
            var descriptor = layer.Descriptor;
            yield return new BlobFile(Digest.Parse(descriptor.Digest), descriptor.Size, () => layer.Source.OpenBlob(descriptor));
        }
        yield return FromBytes(image.ConfigBytes);
        yield return FromBytes(image.ManifestBytes);
    }

    /// <summary>A blob held in memory.</summary>
    public static BlobFile FromBytes(byte[] bytes) => new(Digest.Sha256(bytes), bytes.Length, () => new MemoryStream(bytes, writable: false));

    /// <summary>Every distinct blob of a set of images plus extra blobs (e.g. an index), in a stable order.</summary>
    public static IReadOnlyList<BlobFile> Distinct(IEnumerable<BuiltImage> images, params BlobFile[] extra) =>
        images.SelectMany(Of).Concat(extra).GroupBy(b => b.Digest).Select(g => g.First()).OrderBy(b => b.Digest.ToString(), StringComparer.Ordinal).ToList();

    /// <summary>Copies the blob to <paramref name="path"/> (via a temp file), verifying its digest and size; skips an existing correct file.</summary>
    /// <exception cref="DockyardException">The source's bytes do not match the digest or size.</exception>
    public void CopyTo(string path)
    {
        if (File.Exists(path) && new FileInfo(path).Length == Size) return;
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var digesting = new DigestingStream(target, leaveOpen: true))
            {
                using (var source = Open()) source.CopyTo(digesting, 1 << 16);
                var actual = digesting.GetDigest();
                if (actual != Digest || digesting.BytesWritten != Size)
                    throw new DockyardException($"Blob {Digest} read back as {actual} ({digesting.BytesWritten} bytes, {Size} expected); its source is damaged, rebuild or pull the image again.");
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
