namespace Dockyard.Jobs.Workspace;

/// <summary>Copies single entries between trees, keeping symlinks as links and files' modes.</summary>
public static class FileCopy
{
    /// <summary>Copies '/'-relative <paramref name="relative"/> from <paramref name="from"/> to <paramref name="to"/>; a missing source is skipped.</summary>
    /// <returns>True when something was copied.</returns>
    public static bool CopyEntry(string from, string to, string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        if (relative.EndsWith('/'))
        {
            Directory.CreateDirectory(Path.Combine(to, relative.TrimEnd('/')));
            return true;
        }

        var source = Path.Combine(from, relative);
        var target = Path.Combine(to, relative);
        var info = new FileInfo(source);
        if (info.LinkTarget is { } link)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target) || Directory.Exists(target) || new FileInfo(target).LinkTarget is not null) File.Delete(target);
            File.CreateSymbolicLink(target, link);
            return true;
        }

        if (!info.Exists) return false;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        return true;
    }

    /// <summary>Every file (and symlink) under <paramref name="root"/> as sorted '/'-relative paths, skipping <paramref name="skip"/> top-level names.</summary>
    public static IReadOnlyList<string> EnumerateFiles(string root, params string[] skip) => Enumerate(root, false, skip);

    /// <summary>Like <see cref="EnumerateFiles"/>, with every directory too, as <c>dir/</c> (so empty directories are kept).</summary>
    public static IReadOnlyList<string> EnumerateEntries(string root) => Enumerate(root, true, []);

    private static List<string> Enumerate(string root, bool directories, string[] skip)
    {
        var result = new List<string>();
        if (!Directory.Exists(root)) return result;
        var pending = new Stack<(string Full, string Relative)>();
        pending.Push((root, ""));
        while (pending.Count > 0)
        {
            var (full, relative) = pending.Pop();
            foreach (var entry in new DirectoryInfo(full).EnumerateFileSystemInfos())
            {
                var name = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                if (relative.Length == 0 && skip.Contains(entry.Name)) continue;
                if (entry is DirectoryInfo && entry.LinkTarget is null)
                {
                    pending.Push((entry.FullName, name));
                    if (directories) result.Add(name + "/");
                }
                else result.Add(name);
            }
        }

        result.Sort(StringComparer.Ordinal);
        return result;
    }
}
