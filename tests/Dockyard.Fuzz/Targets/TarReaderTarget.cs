using Dockyard.Builders.Native;
using Dockyard.Layers;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// The layer tar reader: the input as a layer read into a file tree (paths normalised, hard links resolved, entries
/// applied with whiteouts), and as an archive whose every entry's data is copied out.
/// </summary>
public sealed class TarReaderTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "tar";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var entries = FileTree.ReadTar(new MemoryStream(input, writable: false), "fuzz layer", (_, length) => LayerContent.FromBytes(new byte[Math.Min(length, 16)]));
        FileTree.Empty().Apply(entries);

        var reader = new TarEntryReader(new MemoryStream(input, writable: false), "fuzz archive");
        while (reader.Next() is { } entry)
        {
            using var data = new MemoryStream();
            reader.CopyData(entry, data);
        }
    }
}
