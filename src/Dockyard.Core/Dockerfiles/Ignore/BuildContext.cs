using Dockyard.Diagnostics;

namespace Dockyard.Dockerfiles.Ignore;

/// <summary>
/// A build context directory filtered by <c>.dockerignore</c>: the entries COPY and ADD can see, sorted by their
/// '/'-separated relative path. Parent directories of included entries are included even if a pattern excludes them
/// (as docker does when a <c>!</c> exception re-includes a file inside an excluded directory). Symlinks are not followed.
/// </summary>
public sealed class BuildContext
{
    /// <summary>Creates a context over <paramref name="directory"/> with <paramref name="ignore"/> applied.</summary>
    /// <exception cref="DockyardException">The directory does not exist.</exception>
    public BuildContext(string directory, DockerIgnore ignore)
    {
        if (!Directory.Exists(directory))
            throw new DockyardException($"The build context '{directory}' is not a directory. Pass the directory to build from (usually '.').");
        Root = Path.GetFullPath(directory);
        Ignore = ignore;
    }

    /// <summary>The absolute context directory.</summary>
    public string Root { get; }

    /// <summary>The ignore rules applied.</summary>
    public DockerIgnore Ignore { get; }

    /// <summary>Opens a context with the ignore file docker would use for <paramref name="dockerfilePath"/>.</summary>
    public static BuildContext Open(string directory, string? dockerfilePath = null) => new(directory, DockerIgnore.Load(directory, dockerfilePath));

    /// <summary>Every included entry, sorted ordinally by relative path.</summary>
    public IReadOnlyList<BuildContextEntry> Enumerate()
    {
        var included = new SortedDictionary<string, BuildContextEntry>(StringComparer.Ordinal);
        Walk(new DirectoryInfo(Root), "", included);
        return included.Values.ToList();
    }

    private void Walk(DirectoryInfo directory, string prefix, SortedDictionary<string, BuildContextEntry> included)
    {
        foreach (var info in directory.EnumerateFileSystemInfos())
        {
            var path = prefix + info.Name;
            var kind = info.LinkTarget is not null ? BuildContextEntryKind.Symlink
                : info is DirectoryInfo ? BuildContextEntryKind.Directory : BuildContextEntryKind.File;
            var excluded = Ignore.IsExcluded(path);
            if (!excluded)
            {
                included[path] = new BuildContextEntry(path, info.FullName, kind);
                AddParents(path, included);
            }
            if (kind == BuildContextEntryKind.Directory && (!excluded || Ignore.HasExceptions))
                Walk((DirectoryInfo)info, path + "/", included);
        }
    }

    private void AddParents(string path, SortedDictionary<string, BuildContextEntry> included)
    {
        for (var slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
        {
            var parent = path[..slash];
            if (!included.TryAdd(parent, new BuildContextEntry(parent, Path.Combine(Root, parent), BuildContextEntryKind.Directory))) return;
        }
    }
}
