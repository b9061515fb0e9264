using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Cache;

/// <summary>
/// Caches under <c>.dockyard/cache/&lt;key&gt;/</c>, shared by every job and run of the project. A save replaces the
/// key's files as a whole (written aside, then renamed), so concurrent jobs and interrupted runs never see half a cache.
/// </summary>
public sealed class CacheStore(DockyardLayout layout)
{
    private readonly object _gate = new();

    /// <summary>Restores the first of <paramref name="keys"/> that exists into <paramref name="target"/>; returns that key, or null.</summary>
    public string? Restore(IEnumerable<string> keys, string target)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            foreach (var key in keys)
            {
                var root = Path.Combine(layout.Cache, key);
                if (!Directory.Exists(root)) continue;
                foreach (var entry in FileCopy.EnumerateEntries(root)) FileCopy.CopyEntry(root, target, entry);
                return key;
            }
        }

        return null;
    }

    /// <summary>Saves <paramref name="files"/> of <paramref name="jobDirectory"/> as cache <paramref name="key"/>.</summary>
    public void Save(string key, string jobDirectory, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(layout.Cache);
        var final = Path.Combine(layout.Cache, key);
        var partial = $"{final}.{Guid.NewGuid():N}.partial";
        Directory.CreateDirectory(partial);
        foreach (var file in files) FileCopy.CopyEntry(jobDirectory, partial, file);
        lock (_gate)
        {
            var old = final + ".old";
            BuildDirectory.DeleteTree(old);
            if (Directory.Exists(final)) Directory.Move(final, old);
            Directory.Move(partial, final);
            BuildDirectory.DeleteTree(old);
        }
    }
}
