using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>
/// Collects the entries of one layer and writes it deterministically: entries sorted (<see cref="LayerPath.TarOrder"/>),
/// missing parent directories synthesised (0755, root, reproducible time), every time set to
/// <see cref="Timestamp"/> unless an entry says otherwise, owners as given (0 by default), modes as given or as found
/// on disk. Adding a path twice keeps the last one.
/// </summary>
public sealed class LayerBuilder
{
    /// <summary>0755: the mode of synthesised directories and the default for added ones.</summary>
    public const int DirectoryMode = 0x1ED;

    /// <summary>0644: the default mode of files added from memory.</summary>
    public const int FileMode = 0x1A4;

    private readonly Dictionary<string, LayerEntry> _entries = new(StringComparer.Ordinal);

    /// <summary>A builder stamping <paramref name="timestamp"/>, or <see cref="ReproducibleTimestamp.Default"/> when null.</summary>
    public LayerBuilder(DateTimeOffset? timestamp = null) => Timestamp = timestamp ?? ReproducibleTimestamp.Default;

    /// <summary>The modification time written for entries without their own.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Whether no entry was added.</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Adds (or replaces) an entry as given; its path is normalised.</summary>
    public LayerBuilder Add(LayerEntry entry)
    {
        var path = LayerPath.Normalize(entry.Path);
        if (entry.Mode is < 0 or > 0xFFF)
            throw new DockyardException($"Layer entry '{path}' has mode {Convert.ToString(entry.Mode, 8)}; modes are octal 0..7777.");
        if (entry.Type is LayerEntryType.Symlink or LayerEntryType.Hardlink && string.IsNullOrEmpty(entry.LinkTarget))
            throw new DockyardException($"Layer entry '{path}' is a link without a target; give the path it points to.");
        var normalized = entry with
        {
            Path = path,
            LinkTarget = entry.Type == LayerEntryType.Hardlink ? LayerPath.Normalize(entry.LinkTarget!) : entry.LinkTarget,
            Content = entry.Type == LayerEntryType.File ? entry.Content : null,
        };
        _entries[path] = normalized;
        return this;
    }

    /// <summary>Adds a regular file with the given bytes.</summary>
    public LayerBuilder AddFile(string path, LayerContent content, int mode = FileMode, int uid = 0, int gid = 0, DateTimeOffset? modificationTime = null) =>
        Add(new LayerEntry { Path = path, Type = LayerEntryType.File, Mode = mode, Uid = uid, Gid = gid, ModificationTime = modificationTime, Content = content });

    /// <summary>Adds a regular file read from <paramref name="sourcePath"/>; its mode is the file's own unless <paramref name="mode"/> is given.</summary>
    public LayerBuilder AddFileFromDisk(string path, string sourcePath, int? mode = null, int uid = 0, int gid = 0) =>
        AddFile(path, LayerContent.FromFile(sourcePath), mode ?? ModeOf(sourcePath, FileMode), uid, gid);

    /// <summary>Adds a directory.</summary>
    public LayerBuilder AddDirectory(string path, int mode = DirectoryMode, int uid = 0, int gid = 0) =>
        Add(new LayerEntry { Path = path, Type = LayerEntryType.Directory, Mode = mode, Uid = uid, Gid = gid });

    /// <summary>Adds a symbolic link pointing at <paramref name="target"/> (written as given, absolute or relative).</summary>
    public LayerBuilder AddSymlink(string path, string target, int uid = 0, int gid = 0) =>
        Add(new LayerEntry { Path = path, Type = LayerEntryType.Symlink, Mode = 0x1FF, Uid = uid, Gid = gid, LinkTarget = target });

    /// <summary>Adds a hard link to <paramref name="target"/>, a file of this layer.</summary>
    public LayerBuilder AddHardlink(string path, string target, int mode = FileMode, int uid = 0, int gid = 0) =>
        Add(new LayerEntry { Path = path, Type = LayerEntryType.Hardlink, Mode = mode, Uid = uid, Gid = gid, LinkTarget = target });

    /// <summary>Deletes <paramref name="path"/> of a lower layer (an empty <c>.wh.&lt;name&gt;</c> file).</summary>
    public LayerBuilder AddWhiteout(string path)
    {
        var normalized = LayerPath.Normalize(path);
        var parent = LayerPath.Parent(normalized);
        var name = LayerPath.WhiteoutPrefix + LayerPath.FileName(normalized);
        return Add(new LayerEntry { Path = parent is null ? name : parent + "/" + name, Type = LayerEntryType.File, Mode = 0 });
    }

    /// <summary>Hides every lower-layer child of <paramref name="directory"/> (<c>.wh..wh..opq</c>); the directory itself stays.</summary>
    public LayerBuilder AddOpaqueWhiteout(string directory) =>
        Add(new LayerEntry { Path = LayerPath.Normalize(directory) + "/" + LayerPath.OpaqueWhiteout, Type = LayerEntryType.File, Mode = 0 });

    /// <summary>
    /// Adds the contents of <paramref name="sourceDirectory"/> under <paramref name="destination"/> (the destination
    /// directory itself included): modes as on disk (or <paramref name="mode"/> for every entry, like <c>--chmod</c>),
    /// owners <paramref name="uid"/>/<paramref name="gid"/> (like <c>--chown</c>), symlinks kept as links, mtimes
    /// replaced by <see cref="Timestamp"/>. <paramref name="include"/> filters by path relative to the source, with '/'.
    /// </summary>
    /// <exception cref="DockyardException">The directory is missing or holds a device, socket or pipe.</exception>
    public LayerBuilder AddDirectoryTree(string sourceDirectory, string destination, int uid = 0, int gid = 0, int? mode = null, Func<string, bool>? include = null)
    {
        var root = new DirectoryInfo(sourceDirectory);
        if (!root.Exists)
            throw new DockyardException($"Cannot add directory '{sourceDirectory}' to a layer: it does not exist.");
        var destinationRoot = destination.Trim('/').Length == 0 ? "" : LayerPath.Normalize(destination);
        if (destinationRoot.Length > 0) AddDirectory(destinationRoot, mode ?? ModeOf(root.FullName, DirectoryMode), uid, gid);
        foreach (var info in Walk(root))
        {
            var relative = Path.GetRelativePath(root.FullName, info.FullName).Replace('\\', '/');
            if (include is not null && !include(relative)) continue;
            var target = destinationRoot.Length == 0 ? relative : destinationRoot + "/" + relative;
            if (info.LinkTarget is { } linkTarget)
                AddSymlink(target, linkTarget, uid, gid);
            else if (info is DirectoryInfo)
                AddDirectory(target, mode ?? ModeOf(info.FullName, DirectoryMode), uid, gid);
            else if (info is FileInfo file && IsRegularFile(file))
                AddFileFromDisk(target, file.FullName, mode, uid, gid);
            else
                throw new DockyardException($"'{info.FullName}' is a device, socket or pipe; only files, directories and symlinks can go into a layer. Exclude it.");
        }
        return this;
    }

    /// <summary>The entries in tar order, with synthesised parent directories.</summary>
    public IReadOnlyList<LayerEntry> Entries
    {
        get
        {
            var all = new Dictionary<string, LayerEntry>(_entries, StringComparer.Ordinal);
            foreach (var path in _entries.Keys)
            {
                for (var parent = LayerPath.Parent(path); parent is not null; parent = LayerPath.Parent(parent))
                {
                    if (all.TryGetValue(parent, out var existing))
                    {
                        if (existing.Type != LayerEntryType.Directory)
                            throw new DockyardException($"Layer entry '{path}' lies below '{parent}', which this layer adds as a {existing.Type.ToString().ToLowerInvariant()}; a parent must be a directory.");
                        continue;
                    }
                    all[parent] = new LayerEntry { Path = parent, Type = LayerEntryType.Directory, Mode = DirectoryMode };
                }
            }
            foreach (var link in all.Values.Where(e => e.Type == LayerEntryType.Hardlink))
            {
                if (!all.TryGetValue(link.LinkTarget!, out var target) || target.Type != LayerEntryType.File)
                    throw new DockyardException($"Hard link '{link.Path}' points at '{link.LinkTarget}', which is not a regular file of this layer; add the file or use a symlink.");
            }
            return LayerPath.InTarOrder(all.Values, e => e.Path).ToList();
        }
    }

    /// <summary>Writes the uncompressed tar to <paramref name="output"/>.</summary>
    public void WriteTar(Stream output) => WriteTar(output, Entries);

    /// <summary>
    /// Returns the layer from <paramref name="cache"/> if these inputs were built before, otherwise writes it in one
    /// streaming pass (diff_id and digest together) into the cache.
    /// </summary>
    public Layer Build(LayerCache cache, LayerCompression compression = LayerCompression.Gzip) => Build(cache, compression, null);

    /// <summary>As <see cref="Build(LayerCache, LayerCompression)"/>, asking <paramref name="remote"/> by diff_id before compressing.</summary>
    internal Layer Build(LayerCache cache, LayerCompression compression, IRemoteLayerIndex? remote)
    {
        var entries = Entries;
        return cache.GetOrCreate(InputKey(compression, entries), compression, output => WriteTar(output, entries), remote);
    }

    /// <summary>The cache key of these inputs for a compression (hex sha256).</summary>
    internal string InputKey(LayerCompression compression) => InputKey(compression, Entries);

    private void WriteTar(Stream output, IReadOnlyList<LayerEntry> entries)
    {
        var writer = new TarHeaderWriter(output);
        foreach (var entry in entries) writer.Write(entry, Timestamp);
        writer.Finish();
    }

    private string InputKey(LayerCompression compression, IReadOnlyList<LayerEntry> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Line(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));
        Line("dockyard-layer-v1");
        Line(compression.ToString());
        Line(Timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        foreach (var e in entries)
        {
            Line(string.Join('\0', e.Path, e.Type, e.Mode, e.Uid, e.Gid, e.ModificationTime?.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) ?? "-",
                e.LinkTarget ?? "", e.Content?.Identity ?? ""));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Every entry below <paramref name="root"/>, descending into real directories only (never through a symlink).</summary>
    internal static IEnumerable<FileSystemInfo> Walk(DirectoryInfo root)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = false };
        var pending = new Stack<DirectoryInfo>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (var info in pending.Pop().EnumerateFileSystemInfos("*", options))
            {
                yield return info;
                if (info is DirectoryInfo directory && info.LinkTarget is null) pending.Push(directory);
            }
        }
    }

    private static bool IsRegularFile(FileInfo file) => (file.Attributes & FileAttributes.Device) == 0;

    private static int ModeOf(string path, int fallback) =>
        OperatingSystem.IsWindows() ? fallback : (int)File.GetUnixFileMode(path) & 0xFFF;
}
