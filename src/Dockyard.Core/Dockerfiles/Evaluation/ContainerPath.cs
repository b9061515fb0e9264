namespace Dockyard.Dockerfiles.Evaluation;

/// <summary>Path arithmetic inside an image (always '/'-separated, like Go's <c>path</c> package).</summary>
public static class ContainerPath
{
    /// <summary>Resolves <paramref name="path"/> against <paramref name="directory"/> and cleans the result.</summary>
    public static string Combine(string directory, string path) => Clean(path.StartsWith('/') ? path : directory.TrimEnd('/') + "/" + path);

    /// <summary>Removes <c>.</c>, <c>..</c>, duplicate and trailing slashes; the result is absolute.</summary>
    public static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0) parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or inside it (both cleaned, absolute).</summary>
    public static bool IsWithin(string path, string directory) =>
        path == directory || directory == "/" || path.StartsWith(directory + "/", StringComparison.Ordinal);
}
