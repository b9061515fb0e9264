using Dockyard.Pipelines.Globbing;

namespace Dockyard.Jobs.Artifacts;

/// <summary>
/// Selects files of a job directory the way the runner's artifact and cache archivers do: each path is a doublestar
/// glob (<c>*</c> within a segment, <c>**</c> across directories) relative to the job directory, a matched
/// directory brings everything under it (directories are entries too, written <c>dir/</c>, so empty ones are kept), <c>exclude</c> removes matches, <c>untracked</c> adds every file git does
/// not track. Paths leaving the job directory are refused with a warning, as the runner does.
/// </summary>
public static class PathSelection
{
    /// <summary>The selected '/'-relative entries (files, and directories ending in '/'), sorted.</summary>
    /// <param name="directory">The job directory.</param>
    /// <param name="paths">The patterns (variables already expanded).</param>
    /// <param name="exclude">The exclude patterns.</param>
    /// <param name="untracked">Whether every untracked file is added.</param>
    /// <param name="tracked">The files git tracks (copied from the checkout).</param>
    /// <param name="warn">Receives a warning per refused or unmatched path.</param>
    public static IReadOnlyList<string> Select(string directory, IReadOnlyList<string> paths, IReadOnlyList<string> exclude,
        bool untracked, IReadOnlySet<string> tracked, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(exclude);
        ArgumentNullException.ThrowIfNull(tracked);
        ArgumentNullException.ThrowIfNull(warn);
        var all = Workspace.FileCopy.EnumerateEntries(directory);
        var selected = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var raw in paths)
        {
            var pattern = Normalize(raw, directory);
            if (pattern is null)
            {
                warn($"{raw}: artifact path is outside the job directory; ignored");
                continue;
            }

            var glob = PathGlob.Compile(pattern);
            var before = selected.Count;
            foreach (var file in all)
                if (MatchesSelfOrParent(glob, file)) selected.Add(file);
            if (selected.Count == before) warn($"{raw}: no matching files. Ensure that the artifact path is relative to the working directory ({directory})");
        }

        if (untracked)
            foreach (var file in all)
                if (!file.EndsWith('/') && !tracked.Contains(file)) selected.Add(file);
        foreach (var raw in exclude)
        {
            if (Normalize(raw, directory) is not { } pattern) continue;
            var glob = PathGlob.Compile(pattern);
            selected.RemoveWhere(file => MatchesSelfOrParent(glob, file));
        }

        return selected.ToList();
    }

    private static bool MatchesSelfOrParent(PathGlob glob, string entry)
    {
        var file = entry.TrimEnd('/');
        if (glob.IsMatch(file)) return true;
        for (var slash = file.LastIndexOf('/'); slash > 0; slash = file.LastIndexOf('/', slash - 1))
            if (glob.IsMatch(file[..slash])) return true;
        return false;
    }

    /// <summary>The pattern relative to the job directory, or null when it leaves it.</summary>
    private static string? Normalize(string raw, string directory)
    {
        var pattern = raw.Replace('\\', '/');
        var root = directory.Replace('\\', '/').TrimEnd('/') + "/";
        if (pattern.StartsWith(root, StringComparison.Ordinal)) pattern = pattern[root.Length..];
        while (pattern.StartsWith("./", StringComparison.Ordinal)) pattern = pattern[2..];
        pattern = pattern.TrimEnd('/');
        if (pattern.Length == 0 || pattern == ".") return "**";
        if (pattern.StartsWith('/') || pattern.Split('/').Contains("..")) return null;
        return pattern;
    }
}
