using Dockyard.Layers;

namespace Dockyard.Builders.Native;

/// <summary>ADD's archive rule: a local file that is a tar (plain, gzip or zstd) is extracted rather than copied.</summary>
internal static class TarArchive
{
    /// <summary>The archive's entries (paths relative to the destination), or null when <paramref name="file"/> is not a tar archive.</summary>
    public static IEnumerable<LayerEntry>? TryRead(LayerEntry file, string scratch, string where)
    {
        if (file.Type != LayerEntryType.File || file.Content is null || file.Content.Length < 262) return null;
        var compression = Detect(file.Content);
        if (compression is null) return null;
        var directory = Path.Combine(scratch, "add-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var counter = 0;
        using var raw = file.Content.OpenRead();
        using var tar = LayerBlobWriter.OpenDecompressor(raw, compression.Value);
        // Contents are copied out while reading: a tar stream cannot be re-opened per member.
        var reader = new TarEntryReader(tar, $"{where}: archive {file.Path}");
        var entries = new List<LayerEntry>();
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Next() is { } item)
        {
            var name = item.Name.Replace('\\', '/').Trim('/');
            if (!FileTree.IsRegularFile(item.EntryType) || name is "" or ".") continue;
            var target = Path.Combine(directory, (counter++).ToString(System.Globalization.CultureInfo.InvariantCulture));
            using (var output = File.Create(target)) reader.CopyData(item, output);
            paths[LayerPath.Normalize(name)] = target;
        }
        using var again = file.Content.OpenRead();
        using var tarAgain = LayerBlobWriter.OpenDecompressor(again, compression.Value);
        entries.AddRange(FileTree.ReadTar(tarAgain, $"{where}: archive {file.Path}", (path, _) => LayerContent.FromFile(paths[path])));
        return entries;
    }

    private static LayerCompression? Detect(LayerContent content)
    {
        using var stream = content.OpenRead();
        var head = new byte[4];
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        var compression = read >= 2 && head[0] == 0x1f && head[1] == 0x8b ? LayerCompression.Gzip
            : read == 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd ? LayerCompression.Zstd
            : LayerCompression.None;
        using var again = content.OpenRead();
        using var tar = LayerBlobWriter.OpenDecompressor(again, compression);
        var header = new byte[512];
        try
        {
            if (tar.ReadAtLeast(header, 512, throwOnEndOfStream: false) < 512) return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        return header.AsSpan(257, 5).SequenceEqual("ustar"u8) ? compression : null;
    }
}
