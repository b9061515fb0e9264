using Dockyard.Diagnostics;
using Dockyard.Pipelines.Includes.Remote;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Includes;

/// <summary>
/// Reads a pipeline file and its <c>include:</c> tree the way GitLab does: includes depth-first in listed order,
/// each one deep-merged over the previous, the including file merged on top; at most
/// <see cref="MaxIncludes"/> included files (duplicates and nested ones count).
/// </summary>
internal sealed class IncludeResolver
{
    /// <summary>GitLab's default limit of included files per pipeline.</summary>
    public const int MaxIncludes = 150;

    private static readonly HashSet<string> IncludeKeys = ["local", "project", "file", "ref", "remote", "template", "component", "inputs", "rules", "artifact", "job"];

    private readonly IncludeCache _cache;
    private readonly IncludeFetcher _fetcher;
    private readonly Func<string, string> _expand;
    private readonly Func<YamlNode, IncludeSource, bool> _rulesMatch;
    private readonly Func<string, string, IEnumerable<string>> _glob;
    private readonly Dictionary<string, IReadOnlyList<YamlNode?>> _parsed = new(StringComparer.Ordinal);
    private int _count;
    private string _projectRoot = "";

    /// <param name="cache">Where non-local includes are looked up first (<c>--include-cache</c>).</param>
    /// <param name="fetcher">Fetches non-local includes that <paramref name="cache"/> does not have (from GitLab, or its own cache offline).</param>
    /// <param name="expand">Expands variables in include paths.</param>
    /// <param name="rulesMatch">Evaluates <c>include:rules</c>.</param>
    /// <param name="glob">Enumerates files under a root matching a wildcard pattern (relative, '/'-separated, sorted).</param>
    public IncludeResolver(IncludeCache cache, IncludeFetcher fetcher, Func<string, string> expand, Func<YamlNode, IncludeSource, bool> rulesMatch,
        Func<string, string, IEnumerable<string>> glob)
    {
        _cache = cache;
        _fetcher = fetcher;
        _expand = expand;
        _rulesMatch = rulesMatch;
        _glob = glob;
    }

    /// <summary>The files read, in order (root first).</summary>
    public List<string> Files { get; } = [];

    /// <summary>
    /// Finds <c>artifact:</c> + <c>job:</c> includes of a child pipeline (the job's stored artifact), or null where there
    /// are no artifacts (a listing before any run).
    /// </summary>
    public Func<string, string, SourceLocation, IncludeSource>? Artifacts { get; init; }

    /// <summary>
    /// Loads a child pipeline: the configuration <c>{include: TRIGGER_INCLUDE}</c> that GitLab builds from a trigger job's
    /// <c>trigger:include</c>, local paths relative to <paramref name="project"/>.
    /// </summary>
    public YamlMapping LoadChild(YamlNode include, IncludeSource project)
    {
        _projectRoot = project.ProjectRoot;
        var config = new YamlMapping(include.Location);
        config.Set("include", include.Location, include);
        return Expand(config, project);
    }

    /// <summary>Where each non-local include came from, in the order read.</summary>
    public List<IncludeOrigin> Origins => _fetcher.Origins;

    /// <summary>Loads <paramref name="root"/> with all its includes merged.</summary>
    public YamlMapping Load(IncludeSource root)
    {
        _projectRoot = root.ProjectRoot;
        if (!File.Exists(root.FullPath))
            throw new SourceException(new SourceLocation(root.DisplayPath, 0, 0), "pipeline file not found.",
                "Run in the project directory, or pass --cwd DIR and/or --file PATH.");
        var (header, config) = ReadConfig(root, isRoot: true);
        return Expand(IncludeInputs.Apply(header, config, null, root.DisplayPath, _expand), root);
    }

    private (YamlMapping? Header, YamlMapping Config) ReadConfig(IncludeSource source, bool isRoot, SourceLocation? includedAt = null)
    {
        // Keyed by name too: two fetched includes with the same content share one file but not their locations.
        var parsedKey = source.FullPath + "\n" + source.DisplayPath;
        if (!_parsed.TryGetValue(parsedKey, out var documents))
        {
            Files.Add(source.DisplayPath);
            documents = YamlFileReader.ReadDocuments(IncludeFileGuard.ReadText(source, includedAt), source.DisplayPath);
            _parsed[parsedKey] = documents;
        }
        var location = new SourceLocation(source.DisplayPath, 1, 1);
        var docs = documents.Where(d => d is not null).ToList();
        // As GitLab's Yaml::Documents: a first document with spec: is a header only when more documents follow.
        YamlMapping? header = docs.Count > 1 && docs[0] is YamlMapping first && first.ContainsKey("spec") ? first : null;
        YamlNode? config = docs.Count switch
        {
            0 => null,
            1 => docs[0],
            _ when header is not null => docs.Count == 2 ? docs[1]
                : throw new SourceException(docs[2]!.Location, "a pipeline file holds at most a spec: header and one configuration document.", "Remove the extra '---' documents."),
            _ => throw new SourceException(docs[1]!.Location, "a pipeline file holds one YAML document (or a spec: header and one document).", "Remove the extra '---' document."),
        };
        if (config is null)
        {
            if (isRoot)
                throw new SourceException(location, "the pipeline file is empty.", "Add at least one job with a script.");
            return (header, new YamlMapping(location));
        }
        if (config is not YamlMapping mapping)
            throw new SourceException(config.Location, $"a pipeline file must be a hash of keywords and jobs, not {config.KindName}.",
                "Start the file with keys such as 'stages:' and job names.");
        return (header, mapping);
    }

    private YamlMapping Expand(YamlMapping config, IncludeSource source)
    {
        var include = config.Entry("include");
        if (include is null) return config;
        var merged = new YamlMapping(config.Location);
        foreach (var item in Items(include.Value.Value))
        {
            var inputs = item is YamlMapping itemMap ? itemMap["inputs"] : null;
            foreach (var target in Targets(item, source))
            {
                if (++_count > MaxIncludes)
                    throw new SourceException(item.Location, $"more than {MaxIncludes} included files (nested includes and duplicates count).",
                        "Reduce the include tree; GitLab rejects such a pipeline with 'Maximum of 150 nested includes are allowed!'.");
                var (header, config2) = ReadConfig(target, isRoot: false, item.Location);
                var included = Expand(IncludeInputs.Apply(header, config2, inputs, target.DisplayPath, _expand, target.Component), target);
                merged = YamlDeepMerge.Merge(merged, included);
            }
        }
        var own = new YamlMapping(config);
        own.Remove("include");
        return YamlDeepMerge.Merge(merged, own);
    }

    private static IEnumerable<YamlNode> Items(YamlNode include) => include switch
    {
        YamlSequence list => list.Items.SelectMany(Items),
        YamlScalar { IsNull: true } => [],
        _ => [include],
    };

    private IEnumerable<IncludeSource> Targets(YamlNode item, IncludeSource from)
    {
        switch (item)
        {
            case YamlScalar scalar:
            {
                var text = _expand(scalar.Text);
                return text.StartsWith("https://", StringComparison.Ordinal) || text.StartsWith("http://", StringComparison.Ordinal)
                    ? [Remote(text, scalar.Location)]
                    : Local(text, scalar.Location, from);
            }
            case YamlMapping map:
            {
                foreach (var e in map.Entries)
                    if (!IncludeKeys.Contains(e.Key))
                        throw new SourceException(e.KeyLocation, $"unknown include keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, IncludeKeys)}.",
                            "Use one of local, project (+file, ref), remote, template, component, with optional rules and inputs.");
                if (map["rules"] is { } rules && !_rulesMatch(rules, from)) return [];
                if (map["local"] is { } local) return Local(_expand(Text(local, "local")), local.Location, from);
                if (map["template"] is { } template) return [Template(_expand(Text(template, "template")), template.Location)];
                if (map["remote"] is { } remote) return [Remote(_expand(Text(remote, "remote")), remote.Location)];
                if (map["component"] is { } component) return [Component(_expand(Text(component, "component")), component.Location)];
                if (map["project"] is { } project)
                {
                    var projectPath = _expand(Text(project, "project"));
                    var reference = map["ref"] is YamlScalar { IsNull: false } r ? _expand(r.Text) : null;
                    var files = map["file"] switch
                    {
                        YamlScalar { IsNull: false } f => [f],
                        YamlSequence list => list.Items,
                        _ => throw new SourceException(project.Location, $"include project '{projectPath}' has no file.", "Add file: path/to/file.yml."),
                    };
                    return files.Select(f => Project(projectPath, reference, _expand(Text(f, "file")), project.Location, f.Location)).ToList();
                }
                if (map["artifact"] is { } artifact && Artifacts is not null && map["job"] is YamlScalar { IsNull: false } artifactJob)
                    return [Artifacts(_expand(artifactJob.Text), _expand(Text(artifact, "artifact")), artifact.Location)];
                if (map.ContainsKey("artifact"))
                    throw new SourceException(map.Location, "include artifact is only allowed in trigger:include of a child pipeline.",
                        "Move it under the trigger job's trigger:include.");
                throw new SourceException(map.Location, "an include needs one of local, project, remote, template or component.",
                    "Write e.g. include: {local: ci/build.yml}.");
            }
            default:
                throw new SourceException(item.Location, $"an include must be a path or a hash, not {item.KindName}.",
                    "Write include: path.yml or include: [{local: path.yml}].");
        }
    }

    // A component of the project being run (host/project path = CI_SERVER_HOST/CI_PROJECT_PATH) comes from its own
    // templates/ folder (the checkout), whatever the version; others come from the include cache.
    private IncludeSource Component(string component, SourceLocation at)
    {
        int atSign = component.LastIndexOf('@');
        var path = atSign > 0 ? component[..atSign] : component;
        int slash = path.LastIndexOf('/');
        var ownProject = _expand("$CI_SERVER_HOST/$CI_PROJECT_PATH");
        if (slash > 0 && path[..slash] == ownProject && !ownProject.StartsWith('/') && !ownProject.EndsWith('/'))
        {
            var name = path[(slash + 1)..];
            foreach (var relative in new[] { $"templates/{name}.yml", $"templates/{name}/template.yml" })
            {
                var full = Path.Combine(_projectRoot, relative);
                var version = atSign > 0 ? component[(atSign + 1)..] : "";
                IncludeFileGuard.RequireInside(full, _projectRoot, component, at, "component", "the project directory",
                    "A component of this project must be a file of its templates/ folder; copy it there instead of linking to it.");
                if (File.Exists(full))
                    return new IncludeSource(full, relative, _projectRoot, "", IncludeCache.ComponentValues(name, version, _expand("$CI_COMMIT_SHA")));
            }
            throw new SourceException(at, $"include component '{component}' is in this project, but neither templates/{name}.yml nor templates/{name}/template.yml exists.",
                "Add the component template or fix the name.");
        }
        return Cached(_cache.Component(component, at), $"component:{component}") ?? _fetcher.Component(component, at, _cache.MissingHint);
    }

    private IncludeSource Template(string name, SourceLocation at) =>
        Cached(_cache.Template(name, at), $"template:{name}") ?? _fetcher.Template(name, at, _cache.MissingHint);

    private IncludeSource Remote(string url, SourceLocation at) =>
        Cached(_cache.Remote(url, at), $"remote:{url}") ?? _fetcher.Remote(url, at, _cache.MissingHint);

    private IncludeSource Project(string project, string? reference, string file, SourceLocation projectAt, SourceLocation at) =>
        Cached(_cache.Project(project, reference, file, at), $"project:{project.Trim('/')}@{reference ?? "HEAD"}:{file.TrimStart('/')}")
            ?? _fetcher.Project(project, reference, file, at, projectAt, _cache.MissingHint);

    // A file of the --include-cache directory is noted as coming from there.
    private IncludeSource? Cached(IncludeSource? found, string include)
    {
        if (found is not null) Origins.Add(new IncludeOrigin(include, _cache.Directory!, Cached: true));
        return found;
    }

    private static string Text(YamlNode node, string key) =>
        node is YamlScalar { IsNull: false } s ? s.Text
            : throw new SourceException(node.Location, $"include {key} must be a string, not {node.KindName}.", null);

    private List<IncludeSource> Local(string path, SourceLocation at, IncludeSource from)
    {
        var relative = path.TrimStart('/');
        if (relative.Length == 0)
            throw new SourceException(at, "include local path is empty.", "Name a file relative to the project root.");
        if (relative.Split('/').Contains(".."))
            throw new SourceException(at, $"include local '{path}' leaves the project directory.",
                "Local includes are relative to the project root; '../' is not allowed.");
        var root = from.ProjectRoot;
        var prefix = from.ProjectDisplay.Length == 0 ? "" : from.ProjectDisplay + ":";
        if (from.Fetched is { } fetched)
        {
            if (relative.Contains('*'))
                throw new SourceException(at, $"include local '{path}' is a wildcard in a file fetched from {fetched.Project}; Dockyard fetches named files only.",
                    "List the files one by one, or put the project in an --include-cache DIR.");
            return [_fetcher.Project(fetched.Project, fetched.Reference, relative, at, at)];
        }
        if (relative.Contains('*'))
        {
            var matches = _glob(root, relative).ToList();
            if (matches.Count == 0)
                throw new SourceException(at, $"include local '{path}' matches no file.", "Fix the wildcard or add the files.");
            foreach (var m in matches) IncludeFileGuard.RequireInside(Path.Combine(root, m), root, m, at);
            return matches.Select(m => new IncludeSource(Path.Combine(root, m), prefix + m, root, from.ProjectDisplay)).ToList();
        }
        var full = Path.Combine(root, relative);
        if (!File.Exists(full))
            throw new SourceException(at, $"include local '{path}' does not exist{(prefix.Length == 0 ? "" : " in " + from.ProjectDisplay)}.",
                "Check the path (relative to the project root) or remove the include.");
        IncludeFileGuard.RequireInside(full, root, path, at);
        return [new IncludeSource(full, prefix + relative, root, from.ProjectDisplay)];
    }
}
