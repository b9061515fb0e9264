using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>Writes a deterministic uncompressed tar archive (same entry rules as layers) to a file, atomically.</summary>
internal static class ArchiveFile
{
    /// <summary>Writes the entries of <paramref name="contents"/> to <paramref name="path"/> via a temp file; never replaces a non-regular file.</summary>
    public static void Write(string path, LayerBuilder contents, string where) =>
        BlobWriter.WriteFileAtomically(path, temp =>
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            contents.WriteTar(stream);
        }, where);

    /// <summary>Adds a file on disk as an entry.</summary>
    public static void AddFile(LayerBuilder contents, string entryPath, string file, string identity)
    {
        var size = new FileInfo(file).Length;
        contents.AddFile(entryPath, LayerContent.FromStream(() => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), size, identity));
    }
}
