using System.Globalization;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Layers;

namespace Dockyard.Builders.Native;

/// <summary>Ownership and mode overrides of a COPY/ADD (<c>--chown</c>, <c>--chmod</c>).</summary>
internal sealed record CopyOwnership(int? Uid, int? Gid, int? Mode)
{
    /// <summary>
    /// Parses <c>--chown=USER[:GROUP]</c> (ids, or names looked up in the stage's /etc/passwd and /etc/group; a user
    /// alone also gives its primary group, as docker does) and octal <c>--chmod</c>.
    /// </summary>
    public static CopyOwnership Parse(string? chown, string? chmod, string where, FileTree? stage = null)
    {
        int? uid = null, gid = null, mode = null;
        if (!string.IsNullOrEmpty(chown))
        {
            var parts = chown.Split(':');
            var user = Numeric(parts[0]) is { } id ? (Id: id, Group: (int?)null)
                : AccountFile.Find(stage, "etc/passwd", parts[0]) is { } entry ? (Id: entry.Id, Group: entry.Group)
                : throw new DockyardException($"{where}: --chown={chown}: user '{parts[0]}' is not in the stage's /etc/passwd; use a numeric UID or create the user first.");
            uid = user.Id;
            gid = parts.Length > 1
                ? Numeric(parts[1]) ?? AccountFile.Find(stage, "etc/group", parts[1])?.Id
                    ?? throw new DockyardException($"{where}: --chown={chown}: group '{parts[1]}' is not in the stage's /etc/group; use a numeric GID.")
                : user.Group ?? user.Id;
        }
        if (!string.IsNullOrEmpty(chmod))
        {
            try { mode = Convert.ToInt32(chmod, 8); }
            catch (FormatException) { throw new DockyardException($"{where}: --chmod={chmod} is not an octal mode; write e.g. --chmod=0755."); }
            if (mode is < 0 or > 0xFFF) throw new DockyardException($"{where}: --chmod={chmod} is out of range; write an octal mode up to 7777.");
        }
        return new CopyOwnership(uid, gid, mode);
    }

    private static int? Numeric(string text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
}

/// <summary>Turns the sources of a COPY/ADD into the entries of its layer, with docker's rules for files, directories and wildcards.</summary>
internal static class CopyResolver
{
    /// <summary>
    /// The entries copying <paramref name="sources"/> from <paramref name="source"/> to <paramref name="destination"/>
    /// (relative to <paramref name="workdir"/>) add; <paramref name="target"/> is the stage filesystem (for existing parents).
    /// </summary>
    public static List<LayerEntry> Resolve(FileTree source, IReadOnlyList<string> sources, string destination, string workdir,
        CopyOwnership ownership, bool keepOwners, FileTree target, string where, Func<LayerEntry, IEnumerable<LayerEntry>?>? unpack = null,
        IReadOnlyList<string>? excludes = null)
    {
        var excluded = (excludes ?? []).Select(e => new IgnorePattern(e, false, 0)).ToList();
        bool Excluded(string path)
        {
            for (var p = path; p is not null; p = LayerPath.Parent(p))
                if (excluded.Any(e => e.Matches(p))) return true;
            return false;
        }
        var absolute = ContainerPath.Combine(workdir, destination);
        // Docker resolves the destination through the stage's symlinks: with merged /usr, /lib/ is usr/lib. Inside a
        // copied tree nothing is followed: a directory entry replaces a symlink, as dockerd's extraction does.
        var destinationPath = target.Canonical(absolute.Trim('/')) ?? absolute.Trim('/');
        var matches = new List<LayerEntry>();
        var wildcard = false;
        foreach (var raw in sources)
        {
            var path = ContainerPath.Clean("/" + raw).Trim('/');
            if (path.IndexOfAny(['*', '?', '[']) >= 0)
            {
                wildcard = true;
                // A literal directory part is reached through symlinks (COPY --from=base /lib/*.so with lib -> usr/lib).
                if (LayerPath.Parent(path) is { } directory && directory.IndexOfAny(['*', '?', '[']) < 0 && source.Canonical(directory) is { Length: > 0 } real && real != directory)
                    path = real + "/" + LayerPath.FileName(path);
                var pattern = new IgnorePattern(path, false, 0);
                var depth = path.Count(c => c == '/');
                var found = source.All.Where(e => e.Path.Count(c => c == '/') == depth && pattern.Matches(e.Path)).OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new DockyardException($"{where}: no source file matches '{raw}'. Check the pattern and .dockerignore.");
                matches.AddRange(found.Select(e => source.Resolve(e.Path) is { } r ? r with { Path = e.Path } : e));
            }
            else
            {
                var entry = source.Resolve(path)
                    ?? throw new DockyardException($"{where}: '{raw}' was not found{(source.Get(path) is null ? "" : " (dangling symlink)")}. Check the path and .dockerignore.");
                matches.Add(entry with { Path = path });
            }
        }
        var intoDirectory = destination.EndsWith('/') || sources.Count > 1 || wildcard
            || target.Resolve(destinationPath)?.Type == LayerEntryType.Directory
            || matches.All(m => m.Type == LayerEntryType.Directory);
        if ((sources.Count > 1 || wildcard) && !destination.EndsWith('/') && matches.Count(m => m.Type != LayerEntryType.Directory) > 1 && target.Resolve(destinationPath)?.Type != LayerEntryType.Directory)
            throw new DockyardException($"{where}: when copying several sources the destination must be a directory ending with '/'; write '{destination}/'.");

        var result = new Dictionary<string, LayerEntry>(StringComparer.Ordinal);
        LayerEntry Own(LayerEntry entry, string path) => entry with
        {
            Path = path,
            Uid = ownership.Uid ?? (keepOwners ? entry.Uid : 0),
            Gid = ownership.Gid ?? (keepOwners ? entry.Gid : 0),
            Mode = entry.Type == LayerEntryType.Symlink ? entry.Mode : ownership.Mode ?? entry.Mode,
            ModificationTime = null,
        };
        foreach (var match in matches.Where(m => m.Path.Length == 0 || !Excluded(m.Path)))
        {
            if (match.Type == LayerEntryType.Directory)
            {
                // An existing destination directory keeps its owner and mode (dockerd only fills it); a new one is made like
                // the parents a COPY creates: the --chown owner, mode 0755 (neither the source's mode nor --chmod).
                if (destinationPath.Length > 0)
                    result[destinationPath] = target.Get(destinationPath) is { Type: LayerEntryType.Directory } existing ? existing
                        : CreatedDirectory(destinationPath, ownership);
                // A source reached through a symlink (alias/ -> real/) copies what the link points at, as docker does.
                var real = source.Canonical(match.Path) ?? match.Path;
                var prefix = real.Length == 0 ? "" : real + "/";
                foreach (var below in source.Below(real).Where(b => !Excluded(b.Path[prefix.Length..])))
                {
                    var to = Join(destinationPath, below.Path[prefix.Length..]);
                    result[to] = Own(below, to);
                }
                continue;
            }
            var file = intoDirectory ? Join(destinationPath, LayerPath.FileName(match.Path)) : destinationPath;
            if (file.Length == 0) throw new DockyardException($"{where}: cannot copy file '{match.Path}' onto the root directory; give a destination directory ending with '/'.");
            if (unpack?.Invoke(match) is { } unpacked)
            {
                foreach (var item in unpacked)
                {
                    var to = Join(destinationPath, item.Path);
                    result[to] = ownership.Uid is null ? item with { Path = to, ModificationTime = null } : Own(item, to);
                }
                continue;
            }
            result[file] = Own(match, file);
        }
        // Parents the layer must carry keep the metadata they have in the stage (docker's diff includes them unchanged);
        // parents the COPY creates belong to the --chown owner (root without it), mode 0755, as dockerd makes them.
        foreach (var path in result.Keys.ToList())
        {
            for (var parent = LayerPath.Parent(path); parent is not null && !result.ContainsKey(parent); parent = LayerPath.Parent(parent))
            {
                var existing = target.Get(parent);
                result[parent] = existing is { Type: LayerEntryType.Directory } ? existing : CreatedDirectory(parent, ownership);
            }
        }
        return result.Values.ToList();
    }

    private static LayerEntry CreatedDirectory(string path, CopyOwnership ownership) =>
        new() { Path = path, Type = LayerEntryType.Directory, Mode = LayerBuilder.DirectoryMode, Uid = ownership.Uid ?? 0, Gid = ownership.Gid ?? 0 };

    private static string Join(string directory, string relative) => directory.Length == 0 ? relative : relative.Length == 0 ? directory : directory + "/" + relative;
}
