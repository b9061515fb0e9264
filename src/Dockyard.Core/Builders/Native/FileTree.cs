using System.Formats.Tar;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Images;
using Dockyard.Layers;

namespace Dockyard.Builders.Native;

/// <summary>
/// A filesystem as a map from normalised path (no leading '/') to the entry that last wrote it: a stage's root
/// filesystem (its layers applied in order, whiteouts honoured), the build context, or a publish directory.
/// File contents are read lazily: a base layer is decompressed into the scratch directory the first time one of its
/// files is needed.
/// </summary>
internal sealed class FileTree
{
    private readonly Dictionary<string, LayerEntry> _entries;

    // Every path that is or was the parent of an entry: a superset of the paths with something below them, so that
    // replacing a file (the common case) skips the scan for entries below it; without it a COPY of N files is O(N²).
    private readonly HashSet<string> _parents;

    private FileTree(Dictionary<string, LayerEntry> entries, HashSet<string> parents)
    {
        _entries = entries;
        _parents = parents;
    }

    public static FileTree Empty() => new(new Dictionary<string, LayerEntry>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal));

    public FileTree Clone() => new(new Dictionary<string, LayerEntry>(_entries, StringComparer.Ordinal), new HashSet<string>(_parents, StringComparer.Ordinal));

    private void Set(string path, LayerEntry entry)
    {
        _entries[path] = entry;
        for (var parent = LayerPath.Parent(path); parent is not null && _parents.Add(parent); parent = LayerPath.Parent(parent)) { }
    }

    public IEnumerable<LayerEntry> All => _entries.Values;

    public LayerEntry? Get(string path) => path.Length == 0
        ? new LayerEntry { Path = "", Type = LayerEntryType.Directory, Mode = LayerBuilder.DirectoryMode }
        : _entries.GetValueOrDefault(path);

    /// <summary>Every entry strictly below <paramref name="directory"/> ("" for the root).</summary>
    public IEnumerable<LayerEntry> Below(string directory) => directory.Length == 0
        ? _entries.Values
        : _entries.Values.Where(e => e.Path.StartsWith(directory + "/", StringComparison.Ordinal));

    /// <summary>
    /// Follows symlinks (relative or absolute, inside this tree) in every component of <paramref name="path"/>, the
    /// last one included, as the kernel would; null when dangling or looping.
    /// </summary>
    public LayerEntry? Resolve(string path) => Canonical(path) is { } canonical ? Get(canonical) : null;

    /// <summary>
    /// <paramref name="path"/> with every symlink among its components replaced by its target, inside this tree's root
    /// (the last component only when <paramref name="followLast"/>); null when the links loop.
    /// </summary>
    public string? Canonical(string path, bool followLast = true)
    {
        var pending = new List<string>(path.Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = "";
        var hops = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var component = pending[i];
            if (component == ".") continue;
            if (component == "..")
            {
                resolved = LayerPath.Parent(resolved) ?? "";
                continue;
            }
            var candidate = resolved.Length == 0 ? component : resolved + "/" + component;
            var last = i == pending.Count - 1;
            if (Get(candidate) is { Type: LayerEntryType.Symlink, LinkTarget: { } target } && (followLast || !last))
            {
                if (++hops > 40) return null;
                if (target.StartsWith('/')) resolved = "";
                pending = [.. target.Split('/', StringSplitOptions.RemoveEmptyEntries), .. pending.Skip(i + 1)];
                i = -1;
                continue;
            }
            resolved = candidate;
        }
        return resolved;
    }

    /// <summary>Applies entries the way a layer does (whiteouts delete, other entries replace).</summary>
    public void Apply(IEnumerable<LayerEntry> entries)
    {
        foreach (var entry in entries)
        {
            var name = LayerPath.FileName(entry.Path);
            var parent = LayerPath.Parent(entry.Path);
            var prefix = parent is null ? "" : parent + "/";
            if (name == LayerPath.OpaqueWhiteout)
            {
                RemoveBelow(parent ?? "");
                continue;
            }
            if (name.StartsWith(LayerPath.WhiteoutPrefix, StringComparison.Ordinal))
            {
                var removed = prefix + name[LayerPath.WhiteoutPrefix.Length..];
                _entries.Remove(removed);
                RemoveBelow(removed);
                continue;
            }
            if (entry.Type != LayerEntryType.Directory) RemoveBelow(entry.Path);
            Set(entry.Path, entry);
        }
    }

    private void RemoveBelow(string directory)
    {
        if (directory.Length > 0 && !_parents.Contains(directory)) return;
        foreach (var path in Below(directory).Select(e => e.Path).ToList()) _entries.Remove(path);
    }

    /// <summary>The build context's included files, owned by root, modes as on disk.</summary>
    public static FileTree FromContext(BuildContext context)
    {
        var tree = Empty();
        foreach (var entry in context.Enumerate())
            tree.Set(entry.Path, FromDisk(entry.Path, entry.FullPath));
        return tree;
    }

    /// <summary>A directory on disk placed at <paramref name="at"/> (a container path).</summary>
    public static FileTree FromDirectory(string directory, string at)
    {
        var root = new DirectoryInfo(directory);
        if (!root.Exists) throw new DockyardException($"The publish directory '{directory}' does not exist; run dotnet publish first, or give the output directory of dotnet publish.") { Setting = Setting.PublishDirectory };
        var tree = Empty();
        var prefix = at.Trim('/').Length == 0 ? "" : LayerPath.Normalize(at) + "/";
        if (prefix.Length > 0) tree.Apply(ParentsOf(prefix.TrimEnd('/')).Append(FromDisk(prefix.TrimEnd('/'), root.FullName)));
        foreach (var info in root.EnumerateFileSystemInfos("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            var relative = Path.GetRelativePath(root.FullName, info.FullName).Replace('\\', '/');
            tree.Set(prefix + relative, FromDisk(prefix + relative, info.FullName));
        }
        return tree;
    }

    private static IEnumerable<LayerEntry> ParentsOf(string path)
    {
        var parents = new List<LayerEntry>();
        for (var parent = LayerPath.Parent(path); parent is not null; parent = LayerPath.Parent(parent))
            parents.Insert(0, new LayerEntry { Path = parent, Type = LayerEntryType.Directory, Mode = LayerBuilder.DirectoryMode });
        return parents;
    }

    private static LayerEntry FromDisk(string path, string fullPath)
    {
        var info = new FileInfo(fullPath);
        if (info.LinkTarget is { } link)
            return new LayerEntry { Path = path, Type = LayerEntryType.Symlink, Mode = 0x1FF, LinkTarget = link };
        var mode = OperatingSystem.IsWindows() ? -1 : (int)File.GetUnixFileMode(fullPath);
        if (Directory.Exists(fullPath))
            return new LayerEntry { Path = path, Type = LayerEntryType.Directory, Mode = mode < 0 ? LayerBuilder.DirectoryMode : mode };
        return new LayerEntry { Path = path, Type = LayerEntryType.File, Mode = mode < 0 ? LayerBuilder.FileMode : mode, Content = LayerContent.FromFile(fullPath) };
    }

    /// <summary>The filesystem of an image's layers; contents extracted into <paramref name="scratch"/> on first use.</summary>
    public static FileTree FromLayers(IEnumerable<ImageLayer> layers, string scratch)
    {
        var tree = Empty();
        foreach (var layer in layers)
            tree.Apply(ReadLayer(layer, new LayerFiles(layer, scratch)));
        return tree;
    }

    /// <summary>The entries of a tar stream; file contents come from <paramref name="content"/>.</summary>
    internal static List<LayerEntry> ReadTar(Stream tar, string where, Func<string, long, LayerContent> content)
    {
        var entries = new List<LayerEntry>();
        var reader = new TarEntryReader(tar, where);
        var paths = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        while (reader.Next() is { } item)
        {
            var trimmed = item.Name.Replace('\\', '/').Trim('/');
            if (trimmed is "" or ".") continue;
            var path = LayerPath.Normalize(trimmed);
            var common = new LayerEntry { Path = path, Type = LayerEntryType.File, Mode = (int)item.Mode, Uid = item.Uid, Gid = item.Gid };
            LayerEntry? entry = item.EntryType switch
            {
                TarEntryType.Directory => common with { Type = LayerEntryType.Directory },
                TarEntryType.SymbolicLink => common with { Type = LayerEntryType.Symlink, LinkTarget = item.LinkName },
                TarEntryType.HardLink => paths.TryGetValue(LayerPath.Normalize(item.LinkName.Trim('/')), out var target)
                    ? target with { Path = path, Mode = (int)item.Mode, Uid = item.Uid, Gid = item.Gid }
                    : throw new DockyardException($"{where}: hard link '{item.Name}' points at '{item.LinkName}', which comes before it in no entry."),
                _ when IsRegularFile(item.EntryType) => common with { Content = content(path, item.Length) },
                _ => null,
            };
            if (entry is null) continue;
            paths[path] = entry;
            entries.Add(entry);
        }
        return entries;
    }

    /// <summary>True for the tar entry types that carry a regular file's bytes (an empty file has no data stream).</summary>
    internal static bool IsRegularFile(TarEntryType type) => type is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile;

    /// <summary>
    /// Opens a base layer's blob. A build's layers are local files (layer cache, OCI layout, unpacked archive: a
    /// registry base is downloaded into the cache first), whose sources complete synchronously.
    /// </summary>
    private static Stream OpenLocal(ImageLayer layer) => layer.Blob.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();

    private static List<LayerEntry> ReadLayer(ImageLayer layer, LayerFiles files)
    {
        using var blob = OpenLocal(layer);
        using var tar = LayerBlobWriter.OpenDecompressor(blob, ImageFormats.CompressionOf(layer.Descriptor.MediaType));
        return ReadTar(tar, $"layer {layer.Descriptor.Digest}", (path, length) =>
            LayerContent.FromStream(() => files.Open(path), length, $"{layer.DiffId}:{path}"));
    }

    /// <summary>One base layer's regular files, extracted into a scratch directory the first time one is opened.</summary>
    private sealed class LayerFiles(ImageLayer layer, string scratch)
    {
        private Dictionary<string, string>? _extracted;

        public Stream Open(string path)
        {
            var files = _extracted ??= Extract();
            return new FileStream(files[path], FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }

        private Dictionary<string, string> Extract()
        {
            var directory = Path.Combine(scratch, layer.DiffId.Hex);
            Directory.CreateDirectory(directory);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            using var blob = OpenLocal(layer);
            using var tar = LayerBlobWriter.OpenDecompressor(blob, ImageFormats.CompressionOf(layer.Descriptor.MediaType));
            var reader = new TarEntryReader(tar, $"layer {layer.Descriptor.Digest}");
            while (reader.Next() is { } item)
            {
                if (!IsRegularFile(item.EntryType)) continue;
                var trimmed = item.Name.Replace('\\', '/').Trim('/');
                if (trimmed is "" or ".") continue;
                var target = Path.Combine(directory, files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
                using (var output = File.Create(target)) reader.CopyData(item, output);
                files[LayerPath.Normalize(trimmed)] = target;
            }
            return files;
        }
    }
}
