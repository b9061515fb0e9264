using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Includes;

/// <summary>
/// What Dockyard checks before it reads a pipeline file: a local include stays inside its project once every symbolic
/// link is followed (GitLab reads includes from the repository only), and only regular files of bounded size are read
/// (a FIFO or <c>/dev/zero</c>, which report size 0, are never opened: they would hang or grow memory without limit).
/// </summary>
internal static class IncludeFileGuard
{
    private const int MaxLinks = 40;

    /// <summary>Throws when <paramref name="full"/>, links followed, is not inside <paramref name="root"/>.</summary>
    public static void RequireInside(string full, string root, string shown, SourceLocation at)
    {
        var target = Resolve(full, at, shown);
        var inside = Resolve(root, at, shown).TrimEnd('/') + "/";
        if (!target.StartsWith(inside, StringComparison.Ordinal))
            throw new SourceException(at, $"include local '{shown}' resolves (through a symbolic link) outside the project directory.",
                "Local includes must be files of the repository; copy the file into the project instead of linking to it.");
    }

    /// <summary>Reads <paramref name="source"/> when it is a regular file within <see cref="YamlLimits.MaxFileBytes"/>.</summary>
    public static string ReadText(IncludeSource source)
    {
        var at = new SourceLocation(source.DisplayPath, 1, 1);
        var info = new FileInfo(source.FullPath);
        var final = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        if (!final.Exists || (final.Attributes & (FileAttributes.Device | FileAttributes.Directory)) != 0)
            throw new SourceException(at, "is not a regular file (a device, socket or directory); refusing to read it.",
                "Include a regular YAML file.");
        // A FIFO or character device reports size 0 and is never opened: opening would hang or read without end.
        if (final.Length == 0) return "";
        if (final.Length > YamlLimits.MaxFileBytes)
            throw new SourceException(at,
                $"the file is {final.Length / 1024} KiB, over the limit of {YamlLimits.MaxFileBytes / (1024 * 1024)} MiB (GitLab: 'The parsed YAML is too big').",
                "Split the configuration into smaller included files.");
        try
        {
            return File.ReadAllText(final.FullName);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceException(at, $"cannot read the file: {e.Message}", "Check its permissions.", e);
        }
    }

    // Follows symbolic links component by component (what realpath does), bounded against link loops.
    private static string Resolve(string path, SourceLocation at, string shown)
    {
        var parts = new Queue<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var resolved = "/";
        int links = 0;
        while (parts.Count > 0)
        {
            var part = parts.Dequeue();
            if (part == ".") continue;
            if (part == "..") { resolved = Path.GetDirectoryName(resolved.TrimEnd('/')) ?? "/"; continue; }
            var next = Path.Combine(resolved, part);
            var link = new FileInfo(next).LinkTarget;
            if (link is null) { resolved = next; continue; }
            if (++links > MaxLinks)
                throw new SourceException(at, $"include local '{shown}' has more than {MaxLinks} nested symbolic links.", "Remove the link loop.");
            var rest = parts.ToList();
            parts = new Queue<string>(link.Split('/', StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            if (link.StartsWith('/')) resolved = "/";
        }
        return resolved;
    }
}
