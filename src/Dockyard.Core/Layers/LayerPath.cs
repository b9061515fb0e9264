using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>Normalises paths inside a layer and orders them the way Dockyard writes tar entries.</summary>
public static class LayerPath
{
    /// <summary>Prefix of a whiteout file (<c>.wh.name</c> deletes <c>name</c> of a lower layer).</summary>
    public const string WhiteoutPrefix = ".wh.";

    /// <summary>Name of the opaque-directory marker (hides every lower child of its directory).</summary>
    public const string OpaqueWhiteout = ".wh..wh..opq";

    /// <summary>
    /// Normalises <paramref name="path"/>: forward slashes, no leading or trailing <c>/</c>, no <c>.</c> segments,
    /// no empty segments. <c>..</c> is refused rather than resolved.
    /// </summary>
    /// <exception cref="DockyardException">The path is empty, the root, or climbs with <c>..</c>.</exception>
    public static string Normalize(string path)
    {
        var segments = path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Length == 0)
            throw new DockyardException($"Layer path '{path}' names the root; give a file or directory below it.");
        if (segments.Contains(".."))
            throw new DockyardException($"Layer path '{path}' contains '..'; give a path inside the image filesystem.");
        return string.Join('/', segments);
    }

    /// <summary>The last segment of a normalised path.</summary>
    public static string FileName(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    /// <summary>The parent of a normalised path, or null at the top level.</summary>
    public static string? Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? null : path[..slash];
    }

    /// <summary>
    /// Tar order: depth first, segment by segment in ordinal order, a directory before its children, and whiteouts
    /// before their siblings (the OCI layer spec asks for whiteouts to precede other entries of their directory).
    /// </summary>
    public static IComparer<string> TarOrder { get; } = Comparer<string>.Create((x, y) => CompareSegments(Segments(x), Segments(y)));

    /// <summary>Sorts paths in <see cref="TarOrder"/>, splitting each path once.</summary>
    internal static IEnumerable<T> InTarOrder<T>(IEnumerable<T> items, Func<T, string> path) =>
        items.Select(i => (Item: i, Segments: Segments(path(i))))
            .OrderBy(p => p.Segments, Comparer<string[]>.Create(CompareSegments))
            .Select(p => p.Item);

    private static string[] Segments(string? path) => path is null ? [] : path.Split('/');

    private static int CompareSegments(string[]? a, string[]? b)
    {
        if (ReferenceEquals(a, b)) return 0;
        if (a is null) return -1;
        if (b is null) return 1;
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] == b[i]) continue;
            var aWhiteout = i == a.Length - 1 && a[i].StartsWith(WhiteoutPrefix, StringComparison.Ordinal);
            var bWhiteout = i == b.Length - 1 && b[i].StartsWith(WhiteoutPrefix, StringComparison.Ordinal);
            if (aWhiteout != bWhiteout) return aWhiteout ? -1 : 1;
            return string.CompareOrdinal(a[i], b[i]);
        }
        return a.Length.CompareTo(b.Length);
    }
}
