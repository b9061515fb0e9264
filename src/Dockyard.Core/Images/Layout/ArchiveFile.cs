using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>Writes a deterministic uncompressed tar archive (same entry rules as layers) to a file, atomically.</summary>
internal static class ArchiveFile
{
    /// <summary>Writes the entries of <paramref name="contents"/> to <paramref name="path"/> via a temp file.</summary>
    public static void Write(string path, LayerBuilder contents)
    {
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                contents.WriteTar(stream);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"Cannot write the archive '{path}': {e.Message} Choose a writable destination.", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Adds a blob as a file entry.</summary>
    public static void AddBlob(LayerBuilder contents, string path, BlobFile blob) =>
        contents.AddFile(path, LayerContent.FromStream(blob.Open, blob.Size, blob.Digest.ToString()));
}
