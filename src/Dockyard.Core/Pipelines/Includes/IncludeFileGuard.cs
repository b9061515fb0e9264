using Dockyard.Diagnostics;
using Dockyard.FileSystem;
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
    public static void RequireInside(string full, string root, string shown, SourceLocation at) =>
        RequireInside(full, root, shown, at, "local", "the project directory",
            "Local includes must be files of the repository; copy the file into the project instead of linking to it.");

    /// <summary>
    /// Throws, naming <c>include <paramref name="kind"/> '<paramref name="shown"/>'</c>, when <paramref name="full"/>
    /// is not inside <paramref name="root"/>, either as written (<c>../</c>, an absolute path) or once links are followed.
    /// </summary>
    public static void RequireInside(string full, string root, string shown, SourceLocation at, string kind, string rootName, string hint)
    {
        var lexicalRoot = Path.GetFullPath(root).TrimEnd('/') + "/";
        if (!Path.GetFullPath(full).StartsWith(lexicalRoot, StringComparison.Ordinal))
            throw new SourceException(at, $"include {kind} '{shown}' leaves {rootName} ('..' or an absolute path).", hint);
        var target = Resolve(full, at, shown);
        var inside = Resolve(root, at, shown).TrimEnd('/') + "/";
        if (!target.StartsWith(inside, StringComparison.Ordinal))
            throw new SourceException(at, $"include {kind} '{shown}' resolves (through a symbolic link) outside {rootName}.", hint);
    }

    /// <summary>
    /// Reads <paramref name="source"/> when it is a regular file (links followed) within <see cref="YamlLimits.MaxFileBytes"/>;
    /// a FIFO, device, socket or directory is refused without being opened.
    /// </summary>
    /// <param name="source">The file.</param>
    /// <param name="includedAt">Where it is included (named by a refusal), or null for the pipeline file itself.</param>
    public static string ReadText(IncludeSource source, SourceLocation? includedAt = null)
    {
        var at = new SourceLocation(source.DisplayPath, 1, 1);
        if (InputFile.Refusal(source.FullPath) is { } reason)
            throw new SourceException(includedAt ?? at, includedAt is null ? $"the file {reason}; refusing to read it." : $"include '{source.DisplayPath}' {reason}; refusing to read it.",
                "Include a regular YAML file.");
        var length = new FileInfo(source.FullPath).Length;
        if (length > YamlLimits.MaxFileBytes)
            throw new SourceException(at, TooBig(length), "Split the configuration into smaller included files.");
        return InputFile.ReadText(source.FullPath, YamlLimits.MaxFileBytes,
            why => new SourceException(at, why.StartsWith("is over", StringComparison.Ordinal) ? TooBig(YamlLimits.MaxFileBytes + 1) : $"the file {why}.",
                "Include a regular YAML file of at most 1 MiB."));
    }

    private static string TooBig(long length) =>
        $"the file is {length / 1024} KiB, over the limit of {YamlLimits.MaxFileBytes / (1024 * 1024)} MiB (GitLab: 'The parsed YAML is too big').";

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
