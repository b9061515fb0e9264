using Dockyard.Diagnostics;
using Dockyard.FileSystem;

namespace Dockyard.Dockerfiles.Ignore;

/// <summary>
/// A parsed <c>.dockerignore</c> with docker's exact rules: <c>#</c> comment lines, surrounding whitespace trimmed,
/// paths cleaned (<c>./</c>, <c>//</c>, <c>..</c>, a leading <c>/</c>), <c>!</c> exceptions where the last matching pattern wins,
/// and a path excluded when it or any parent directory matches.
/// </summary>
public sealed class DockerIgnore
{
    private DockerIgnore(string source, IReadOnlyList<IgnorePattern> patterns)
    {
        Source = source;
        Patterns = patterns;
    }

    /// <summary>The largest ignore file read (16 MiB), so a huge or endless one cannot exhaust memory.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Ignores nothing.</summary>
    public static DockerIgnore Empty { get; } = new("(none)", []);

    /// <summary>Where the patterns come from (for messages).</summary>
    public string Source { get; }

    /// <summary>The patterns in file order.</summary>
    public IReadOnlyList<IgnorePattern> Patterns { get; }

    /// <summary>True when some pattern is a <c>!</c> exception (excluded directories must then still be walked).</summary>
    public bool HasExceptions => Patterns.Any(p => p.IsException);

    /// <summary>Parses <c>.dockerignore</c> text.</summary>
    /// <exception cref="SourceException">A pattern is invalid (e.g. an unclosed '[').</exception>
    public static DockerIgnore Parse(string text, string source = ".dockerignore")
    {
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var patterns = new List<IgnorePattern>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var pattern = lines[i];
            if (pattern.StartsWith('#')) continue;
            pattern = pattern.Trim();
            if (pattern.Length == 0) continue;
            var exception = pattern[0] == '!';
            if (exception) pattern = pattern[1..].Trim();
            if (pattern.Length > 0)
            {
                pattern = CleanPath(pattern);
                if (pattern.Length > 1 && pattern[0] == '/') pattern = pattern[1..];
            }
            try
            {
                patterns.Add(new IgnorePattern(pattern, exception, i + 1));
            }
            catch (ArgumentException e)
            {
                throw new SourceException(new SourceLocation(source, i + 1, 1), $"invalid pattern '{lines[i].Trim()}': {e.Message}", "Fix or escape the pattern.");
            }
        }
        return new DockerIgnore(source, patterns);
    }

    /// <summary>
    /// Loads the ignore file docker would use: <c>&lt;Dockerfile&gt;.dockerignore</c> next to the Dockerfile if it exists,
    /// else <c>.dockerignore</c> at the context root, else nothing.
    /// </summary>
    public static DockerIgnore Load(string contextDirectory, string? dockerfilePath = null)
    {
        var candidates = new List<string>();
        if (dockerfilePath is not null) candidates.Add(dockerfilePath + ".dockerignore");
        candidates.Add(Path.Combine(contextDirectory, ".dockerignore"));
        foreach (var candidate in candidates.Where(c => File.Exists(c) || Directory.Exists(c)))
        {
            var shown = Path.GetFullPath(candidate);
            return Parse(InputFile.ReadText(candidate, MaxFileBytes,
                why => new SourceException(new SourceLocation(shown, 1, 1), $"the ignore file {why}; refusing to read it.",
                    "Make it a regular file of patterns, or remove it.")), shown);
        }
        return Empty;
    }

    /// <summary>True when the '/'-separated context-relative <paramref name="path"/> is excluded from the build context.</summary>
    public bool IsExcluded(string path)
    {
        var matched = false;
        var slash = path.LastIndexOf('/');
        var parents = slash < 0 ? [] : path[..slash].Split('/');
        foreach (var pattern in Patterns)
        {
            if (pattern.IsException != matched) continue;
            var match = pattern.Matches(path);
            for (var i = 0; !match && i < parents.Length; i++) match = pattern.Matches(string.Join('/', parents.Take(i + 1)));
            if (match) matched = !pattern.IsException;
        }
        return matched;
    }

    /// <summary>Go's <c>path.Clean</c>: collapses slashes, removes <c>.</c>, resolves <c>..</c> lexically, drops a trailing slash.</summary>
    internal static string CleanPath(string path)
    {
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            if (part == ".." && parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
            else if (part == ".." && rooted) continue;
            else parts.Add(part);
        }
        var joined = string.Join('/', parts);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
