using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Includes;

/// <summary>
/// Finds <c>project</c>, <c>remote</c>, <c>template</c> and <c>component</c> includes in the user's <c>--include-cache</c>
/// directory, which answers before any GitLab instance; each method returns null when there is no directory or the
/// file is not in it. Layout, relative to the cache directory:
/// <list type="bullet">
/// <item><c>template: X</c> → <c>templates/X</c>, or <c>X</c>, or <c>X</c> without <c>.gitlab-ci.yml</c> with <c>/</c>→<c>__</c> as a folder holding <c>.gitlab-ci.yml</c> (the corpus layout).</item>
/// <item><c>project: group/app</c>, <c>ref: R</c> (default <c>HEAD</c>), <c>file: F</c> → <c>projects/group/app/R/F</c>.</item>
/// <item><c>remote: https://host/path</c> → <c>remote/host/path</c>.</item>
/// <item><c>component: host/group/project/name@version</c> → <c>components/host/group/project/version/templates/name.yml</c> or <c>.../templates/name/template.yml</c>.</item>
/// </list>
/// </summary>
internal sealed class IncludeCache(string? directory)
{
    public string? Directory { get; } = directory is null ? null : Path.GetFullPath(directory);

    /// <summary>Where the last include not found would go in the directory ("add it as templates/X under DIR"), or null.</summary>
    public string? MissingHint { get; private set; }

    public IncludeSource? Template(string name, SourceLocation at)
    {
        if (Directory is not { } root) return null;
        var trimmed = name.TrimStart('/');
        var folder = trimmed.EndsWith(".gitlab-ci.yml", StringComparison.Ordinal) ? trimmed[..^".gitlab-ci.yml".Length] : trimmed;
        string[] candidates =
        [
            Path.Combine(root, "templates", trimmed),
            Path.Combine(root, trimmed),
            Path.Combine(root, folder.Replace("/", "__", StringComparison.Ordinal), ".gitlab-ci.yml"),
        ];
        var found = FirstExisting(candidates, root, "template", name, at);
        return found is null ? null : new IncludeSource(found, $"template:{name}", root, $"template:{name}");
    }

    public IncludeSource? Project(string project, string? reference, string file, SourceLocation at)
    {
        if (Directory is not { } root) return null;
        var projectRoot = Path.Combine(root, "projects", project.Trim('/'), reference ?? "HEAD");
        var full = Path.Combine(projectRoot, file.TrimStart('/'));
        if (FirstExisting([full], Path.Combine(root, "projects"), "project", $"{project}/{file}" + (reference is null ? "" : $"@{reference}"), at) is null) return null;
        return new IncludeSource(full, $"{project}:{file.TrimStart('/')}", projectRoot, project);
    }

    public IncludeSource? Remote(string url, SourceLocation at)
    {
        if (Directory is not { } root) return null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new SourceException(at, $"include remote '{url}' is not an http(s) URL.", "Write a full https:// address.");
        var full = Path.Combine(root, "remote", uri.Host, uri.AbsolutePath.TrimStart('/'));
        if (FirstExisting([full], Path.Combine(root, "remote"), "remote", url, at) is null) return null;
        return new IncludeSource(full, url, Path.GetDirectoryName(full)!, url);
    }

    public IncludeSource? Component(string component, SourceLocation at)
    {
        if (Directory is not { } root) return null;
        int atSign = component.LastIndexOf('@');
        if (atSign <= 0 || atSign == component.Length - 1)
            throw new SourceException(at, $"include component '{component}' has no version.",
                "Write component: host/group/project/name@version.");
        var path = component[..atSign];
        var version = component[(atSign + 1)..];
        int slash = path.LastIndexOf('/');
        if (slash <= 0)
            throw new SourceException(at, $"include component '{component}' must be host/group/project/name@version.", null);
        var projectRoot = Path.Combine(root, "components", path[..slash], version);
        var name = path[(slash + 1)..];
        var found = FirstExisting(
            [Path.Combine(projectRoot, "templates", name + ".yml"), Path.Combine(projectRoot, "templates", name, "template.yml")],
            Path.Combine(root, "components"), "component", component, at);
        if (found is null) return null;
        return new IncludeSource(found, component, projectRoot, path[..slash], ComponentValues(name, version, version));
    }

    /// <summary>The <c>$[[ component.* ]]</c> values of a component include.</summary>
    public static Dictionary<string, string> ComponentValues(string name, string version, string sha) => new(StringComparer.Ordinal)
    {
        ["component.name"] = name,
        ["component.version"] = version,
        ["component.reference"] = version,
        ["component.sha"] = sha,
    };

    // Every candidate must stay inside its part of the cache, as written and through symbolic links, before it is
    // even looked at: '../../etc/passwd', an absolute path or a link out of the cache is refused, naming the include.
    private string? FirstExisting(string[] candidates, string within, string kind, string what, SourceLocation at)
    {
        foreach (var c in candidates)
            IncludeFileGuard.RequireInside(c, within, what, at, kind, $"the include cache {within}",
                "Includes from the cache must be files inside it; remove the '..', absolute path or symbolic link.");
        foreach (var c in candidates)
            if (File.Exists(c)) return c;
        MissingHint = $"add it as {Path.GetRelativePath(Directory!, candidates[0])} under the include cache {Directory}";
        return null;
    }
}
