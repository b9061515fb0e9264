using System.Formats.Tar;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;
using Dockyard.Images.Transfer;
using Dockyard.Layers;

namespace Dockyard.Images.DockerArchive;

/// <summary>
/// Reads an image from a <c>docker save</c> archive to use as a base (<c>FROM docker-archive:FILE[:REF]</c>). The
/// layer tars in the archive (plain or gzip) are recompressed once into the <see cref="LayerCache"/> (keyed by the
/// archive's path, size, time and member, then by diff_id) and checked against the config's diff_ids.
/// </summary>
public static class DockerArchiveReader
{
    /// <summary>The archive as an image source (<c>docker-archive:FILE[:REF]</c>).</summary>
    public static IImageSource Source(string archivePath, LayerCache cache, string? reference = null, string? name = null) =>
        new ArchiveSource(archivePath, cache, reference, name);

    /// <summary>The images of an archive, each with its <c>RepoTags</c> (none for an untagged image), as <c>docker load</c> lists them.</summary>
    /// <exception cref="DockyardException">Missing file or no valid manifest.json.</exception>
    internal static IReadOnlyList<IReadOnlyList<string>> RepoTags(string archivePath)
    {
        var file = new FileInfo(archivePath);
        if (!file.Exists) throw new DockyardException($"docker-archive:{archivePath}: the file does not exist.");
        return ReadManifest(file, $"docker-archive:{archivePath}").Entries.Select(e => (IReadOnlyList<string>)(e.RepoTags ?? [])).ToList();
    }

    private static (Dictionary<string, byte[]> JsonFiles, List<ArchiveManifestEntry> Entries, Dictionary<string, string> Links) ReadManifest(FileInfo file, string name)
    {
        var (jsonFiles, links) = ReadSmallMembers(file.FullName, name);
        if (!jsonFiles.TryGetValue("manifest.json", out var manifestBytes))
            throw new DockyardException($"{name}: no manifest.json; the file is not a docker save archive.");
        List<ArchiveManifestEntry> entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<ArchiveManifestEntry>>(manifestBytes) ?? [];
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{name}: manifest.json is not valid ({e.Message}); the archive is damaged.", e);
        }
        if (entries.Any(e => e is null || e.Config is null || e.Layers is null || e.Layers.Any(l => l is null)))
            throw new DockyardException($"{name}: an entry of manifest.json has no Config or Layers; the archive is damaged.");
        return (jsonFiles, entries, links);
    }

    /// <summary>Reads the image tagged <paramref name="reference"/> (or the only one) from <paramref name="archivePath"/>.</summary>
    /// <exception cref="DockyardException">Missing file, no manifest.json, unknown tag, or a layer that does not match its diff_id.</exception>
    public static Image Read(string archivePath, LayerCache cache, string? reference = null, LayerCompression compression = LayerCompression.Gzip)
    {
        var name = $"docker-archive:{archivePath}" + (reference is null ? "" : ":" + reference);
        var file = new FileInfo(archivePath);
        if (!file.Exists) throw new DockyardException($"{name}: the file does not exist.");

        var (jsonFiles, entries, links) = ReadManifest(file, name);
        ArchiveManifestEntry entry;
        if (reference is not null)
        {
            var wanted = DockerArchiveSink.NormalizeTag(reference);
            entry = entries.FirstOrDefault(e => e.RepoTags?.Contains(wanted) == true)
                ?? throw new DockyardException($"{name}: no image is tagged '{wanted}'; tags in the archive: {string.Join(", ", entries.SelectMany(e => e.RepoTags ?? []))}.");
        }
        else if (entries.Count == 1)
        {
            entry = entries[0];
        }
        else
        {
            throw new DockyardException($"{name}: the archive holds {entries.Count} images; name one with docker-archive:{archivePath}:NAME:TAG.");
        }

        if (!jsonFiles.TryGetValue(entry.Config!, out var configBytes))
            throw new DockyardException($"{name}: config '{entry.Config!}' named by manifest.json is missing.");
        var config = ImageConfig.Parse(configBytes, $"{name}: config");
        var diffIds = config.DiffIds;
        if (diffIds.Count != entry.Layers!.Count)
            throw new DockyardException($"{name}: manifest.json lists {entry.Layers!.Count} layers but the config {diffIds.Count} diff_ids; the archive is damaged.");

        var layers = ImportLayers(file, entry.Layers!, links, cache, compression, name);
        var format = compression == LayerCompression.Gzip ? ImageFormat.Docker : ImageFormat.Oci;
        var imageLayers = new List<ImageLayer>();
        for (var i = 0; i < diffIds.Count; i++)
        {
            var layer = layers[entry.Layers![i]];
            if (layer.DiffId != diffIds[i])
                throw new DockyardException($"{name}: layer '{entry.Layers![i]}' has diff_id {layer.DiffId} but the config says {diffIds[i]}; the archive is damaged.");
            var descriptor = layer.ToDescriptor(format);
            imageLayers.Add(new ImageLayer(descriptor, layer.DiffId, cache.Blob(descriptor)) { DiffSize = layer.DiffSize });
        }
        return Image.Assemble(name, format, configBytes, imageLayers);
    }

    /// <summary>
    /// The archive's small JSON members, and its symlink members with the member each points at (docker save writes a
    /// layer identical to an earlier one as a link to that one's <c>layer.tar</c>), in one pass over the headers.
    /// </summary>
    private static (Dictionary<string, byte[]> Json, Dictionary<string, string> Links) ReadSmallMembers(string path, string name)
    {
        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        ForEachMember(path, name, (member, entry) =>
        {
            if (entry.EntryType == TarEntryType.SymbolicLink && LinkedMember(member, entry.LinkName) is { } target) links[member] = target;
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && member.EndsWith(".json", StringComparison.Ordinal)
                && entry.Length < 16 << 20 && entry.DataStream is { } data)
            {
                using var buffer = new MemoryStream();
                data.CopyTo(buffer);
                result[member] = buffer.ToArray();
            }
        });
        return (result, links);
    }

    private static Dictionary<string, Layer> ImportLayers(FileInfo file, IReadOnlyList<string> members, IReadOnlyDictionary<string, string> allLinks, LayerCache cache, LayerCompression compression, string name)
    {
        // A layer member that is a link (docker save's repeated layer) is read through its target.
        var links = members.Where(allLinks.ContainsKey).Distinct(StringComparer.Ordinal).ToDictionary(m => m, m => allLinks[m], StringComparer.Ordinal);
        var wanted = members.Where(m => !links.ContainsKey(m)).Concat(links.Values).ToHashSet(StringComparer.Ordinal);
        var layers = new Dictionary<string, Layer>(StringComparer.Ordinal);
        ForEachMember(file.FullName, name, (member, entry) =>
        {
            if (!wanted.Contains(member) || layers.ContainsKey(member) || entry.DataStream is not { } data) return;
            var key = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes($"docker-archive\0{file.FullName}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}\0{member}\0{compression}")));
            layers[member] = cache.GetOrCreate(key, compression, output => CopyDecompressed(data, output));
        });
        foreach (var (link, target) in links)
            if (layers.TryGetValue(target, out var layer)) layers[link] = layer;
        var missing = members.FirstOrDefault(m => !layers.ContainsKey(m));
        if (missing is not null) throw new DockyardException($"{name}: layer '{missing}' named by manifest.json is missing from the archive.");
        return layers;
    }

    /// <summary>The member a symlink member points at (relative to its directory, as docker save writes them); null when it leaves the archive.</summary>
    internal static string? LinkedMember(string member, string link)
    {
        if (link.Length == 0 || link.StartsWith('/')) return null;
        var parts = new List<string>(member.Split('/')[..^1]);
        foreach (var part in link.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count == 0) return null;
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }
        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    /// <summary>Copies a layer member to <paramref name="output"/>, decompressing gzip or zstd members (detected by magic bytes).</summary>
    private static void CopyDecompressed(Stream member, Stream output)
    {
        var buffered = new BufferedStream(member, 1 << 16);
        var read = 0;
        var peek = new byte[4];
        while (read < 4)
        {
            var n = buffered.Read(peek, read, 4 - read);
            if (n == 0) break;
            read += n;
        }
        var compression = read >= 2 && peek[0] == 0x1f && peek[1] == 0x8b ? LayerCompression.Gzip
            : read == 4 && peek[0] == 0x28 && peek[1] == 0xb5 && peek[2] == 0x2f && peek[3] == 0xfd ? LayerCompression.Zstd
            : LayerCompression.None;
        var rest = new PrefixedStream(peek.AsMemory(0, read), buffered);
        using var source = LayerBlobWriter.OpenDecompressor(rest, compression);
        source.CopyTo(output, 1 << 16);
    }

    private static TarEntry? NextMember(TarReader reader, string name)
    {
        try
        {
            return reader.GetNextEntry();
        }
        catch (Exception e) when (TarReadFailure.IsMalformedHeader(e))
        {
            throw new DockyardException($"{name}: the file is not a valid tar archive ({TarReadFailure.Describe(e)}).", e);
        }
        catch (Exception e) when (TarReadFailure.IsUnsupportedEntry(e))
        {
            throw new DockyardException(TarReadFailure.Unsupported(name, "among its members", e), e);
        }
    }

    private static void ForEachMember(string path, string name, Action<string, TarEntry> visit)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var reader = new TarReader(stream);
            while (NextMember(reader, name) is { } entry)
                visit(entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name, entry);
        }
        catch (InvalidDataException e)
        {
            throw new DockyardException($"{name}: the file is not a valid tar archive ({e.Message}).", e);
        }
        catch (EndOfStreamException e)
        {
            throw new DockyardException($"{name}: the archive ends in the middle of a member (truncated); it is damaged. Save or download it again.", e);
        }
    }

    private sealed class ArchiveSource(string archivePath, LayerCache cache, string? reference, string? name) : IImageSource
    {
        public string Name { get; } = name ?? $"docker-archive:{archivePath}" + (reference is null ? "" : ":" + reference);

        // Reading unpacks and recompresses the archive's layers into the cache: CPU-bound file work, run off the caller's thread.
        public Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken) =>
            Task.Run<ImageContent>(() => Read(archivePath, cache, reference).Named(Name), cancellationToken);
    }

    private sealed record ArchiveManifestEntry(
        [property: JsonPropertyName("Config")] string? Config,
        [property: JsonPropertyName("RepoTags")] List<string>? RepoTags,
        [property: JsonPropertyName("Layers")] List<string>? Layers);

    /// <summary>A read-only stream that yields some already-read bytes, then the rest of another stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty) return rest.Read(buffer);
            var n = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..n].CopyTo(buffer);
            _prefix = _prefix[n..];
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
