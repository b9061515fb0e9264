using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>Writes a deterministic uncompressed tar archive (same entry rules as layers) to an <see cref="ArchiveDestination"/>.</summary>
internal static class ArchiveFile
{
    /// <summary>Writes the entries of <paramref name="contents"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    public static long Write(ArchiveDestination destination, LayerBuilder contents, string where) =>
        destination.Write(contents.WriteTar, where);

    /// <summary>Adds a file on disk as an entry.</summary>
    public static void AddFile(LayerBuilder contents, string entryPath, string file, string identity)
    {
        var size = new FileInfo(file).Length;
        contents.AddFile(entryPath, LayerContent.FromStream(() => new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan), size, identity));
    }
}
