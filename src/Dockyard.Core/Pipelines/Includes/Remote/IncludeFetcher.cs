using System.Net;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>
/// Fetches <c>template</c>, <c>project</c>, <c>remote</c> and <c>component</c> includes the way GitLab reads them
/// (<see cref="GitLabInstance"/>; remote URLs with a plain GET and no token), stores each in the
/// <see cref="FetchedIncludeCache"/>, and answers from that cache when no instance is configured or it cannot be
/// reached. A 4xx answer is an error even when a cached copy exists (the include is wrong, not the network).
/// Every include read is recorded in <see cref="Origins"/>. A child pipeline's <c>trigger:include</c> can use the
/// same methods.
/// </summary>
internal sealed partial class IncludeFetcher : IDisposable
{
    private readonly string? _explicitUrl;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly FetchedIncludeCache _cache;
    private readonly string _projectRoot;
    private readonly TimeSpan? _retryDelay;
    private IncludeDownloader? _downloader;
    private GitLabInstance? _instance;
    private readonly Dictionary<string, IncludeSource> _read = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unreachable = new(StringComparer.OrdinalIgnoreCase);
    private bool _instanceResolved;

    /// <param name="gitLabUrl">The instance (<c>--gitlab-url</c>), or null for <c>CI_SERVER_URL</c>.</param>
    /// <param name="environment">The host's environment (the instance URL and the token).</param>
    /// <param name="cacheDirectory">Where fetched includes are kept (<c>PROJECT/.dockyard/includes</c>).</param>
    /// <param name="projectRoot">The user's project (nested local includes of templates and remote files resolve in it).</param>
    /// <param name="retryDelay">The first retry's delay (tests shorten it).</param>
    public IncludeFetcher(string? gitLabUrl, IReadOnlyDictionary<string, string>? environment, string cacheDirectory, string projectRoot, TimeSpan? retryDelay = null)
    {
        _explicitUrl = gitLabUrl;
        _environment = environment ?? new Dictionary<string, string>();
        _cache = new FetchedIncludeCache(cacheDirectory);
        _projectRoot = projectRoot;
        _retryDelay = retryDelay;
    }

    // Created on the first fetch: a pipeline without such includes (or loaded offline) opens no HTTP client.
    private IncludeDownloader Http => _downloader ??= new IncludeDownloader(_retryDelay);

    /// <summary>Where every fetched or cached include came from, in the order read.</summary>
    public List<IncludeOrigin> Origins { get; } = [];

    [GeneratedRegex(@"^v?(\d{1,9})\.(\d{1,9})\.(\d{1,9})$", RegexOptions.CultureInvariant)]
    private static partial Regex ReleaseVersion();

    [GeneratedRegex(@"^\d+(\.\d+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex PartialVersion();

    /// <summary><c>include: template: NAME</c> from the instance's template API.</summary>
    public IncludeSource Template(string name, SourceLocation at, string? cacheHint = null)
    {
        var include = $"template:{name}";
        return Fetch(new(include, include, at, at, cacheHint), instance => new(instance.Template(name, include, at), instance.Name), _projectRoot, "");
    }

    /// <summary>
    /// <c>include: project: P, ref: R, file: F</c> (and a nested local include of such a file) from the repository files
    /// API; an answer is reported at the file (<paramref name="at"/>), no instance at the project (<paramref name="projectAt"/>).
    /// </summary>
    public IncludeSource Project(string project, string? reference, string file, SourceLocation at, SourceLocation projectAt, string? cacheHint = null)
    {
        var path = project.Trim('/');
        var atRef = reference ?? "HEAD";
        var relative = file.TrimStart('/');
        var include = $"project:{path}@{atRef}:{relative}";
        return Fetch(new(include, $"{path}:{relative}", at, projectAt, cacheHint),
            instance => new(instance.File(path, atRef, relative, include, at), instance.Name, atRef), _projectRoot, path, path);
    }

    /// <summary><c>include: remote: URL</c>: a plain GET without any token, as GitLab fetches it.</summary>
    public IncludeSource Remote(string url, SourceLocation at, string? cacheHint = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
            throw new SourceException(at, $"include remote '{url}' is not an http(s) URL without credentials.", "Write a full https:// address.");
        var include = $"remote:{url}";
        return Fetch(new(include, url, at, at, cacheHint, uri.Authority), _ =>
        {
            var answer = Http.Get(uri, null, api: false);
            if (answer.Status == HttpStatusCode.OK) return new(answer.Body, uri.GetLeftPart(UriPartial.Authority));
            throw new SourceException(at, $"include remote '{url}': the server answered {(int)answer.Status} {answer.Status}.",
                "Check the address; GitLab fetches remote includes without a token, so the file must be public.");
        }, _projectRoot, "");
    }

    /// <summary>
    /// <c>include: component: HOST/PROJECT/NAME@VERSION</c>: VERSION is <c>~latest</c> (the highest released
    /// version), a partial version (<c>1</c>, <c>1.2</c>: the highest release it starts), or a tag, branch or SHA;
    /// the file is <c>templates/NAME.yml</c> or <c>templates/NAME/template.yml</c> at that commit.
    /// </summary>
    public IncludeSource Component(string component, SourceLocation at, string? cacheHint = null)
    {
        int atSign = component.LastIndexOf('@');
        if (atSign <= 0 || atSign == component.Length - 1)
            throw new SourceException(at, $"include component '{component}' has no version.", "Write component: host/group/project/name@version.");
        var path = component[..atSign];
        var version = component[(atSign + 1)..];
        int slash = path.LastIndexOf('/');
        if (slash <= 0 || path.IndexOf('/') == slash)
            throw new SourceException(at, $"include component '{component}' must be host/group/project/name@version.", null);
        var name = path[(slash + 1)..];
        var include = $"component:{component}";
        return Fetch(new(include, component, at, at, cacheHint), instance =>
        {
            var prefix = GitLabInstanceUrl.ComponentPrefix(instance.Url);
            if (!path.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase) || path.Length <= prefix.Length + 1 + name.Length + 1)
                throw new SourceException(at, $"include component '{component}' is not on the GitLab instance {instance.Name} (its components start with {prefix}/).",
                    "GitLab reads components only from its own instance; fix the host or pass --gitlab-url for that instance.");
            var project = path[(prefix.Length + 1)..slash];
            var resolved = ResolveVersion(instance, project, version, include, at);
            var sha = instance.CommitSha(project, resolved, include, at);
            var content = instance.FileIfExists(project, sha, $"templates/{name}.yml", include, at)
                ?? instance.FileIfExists(project, sha, $"templates/{name}/template.yml", include, at)
                ?? throw new SourceException(at, $"include component '{component}': {project} has neither templates/{name}.yml nor templates/{name}/template.yml at {resolved}.",
                    "Check the component's name and version.");
            var values = IncludeCache.ComponentValues(name, resolved, sha);
            values["component.reference"] = version;
            return new(content, instance.Name, sha, values, project);
        }, _projectRoot, "");
    }

    private static string ResolveVersion(GitLabInstance instance, string project, string version, string include, SourceLocation at)
    {
        if (version != "~latest" && !PartialVersion().IsMatch(version)) return version;
        var best = instance.ReleaseTags(project, include, at)
            .Select(tag => (Tag: tag, Match: ReleaseVersion().Match(tag)))
            .Where(r => r.Match.Success)
            .Select(r => (r.Tag, Number: new Version(Part(r.Match, 1), Part(r.Match, 2), Part(r.Match, 3))))
            .Where(r => version == "~latest" || (r.Number.ToString() + ".").StartsWith(version + ".", StringComparison.Ordinal))
            .OrderByDescending(r => r.Number)
            .Select(r => r.Tag)
            .FirstOrDefault();
        // A plain number that is no release may still be a tag or branch name.
        return best ?? (version == "~latest"
            ? throw new SourceException(at, $"include {include}: {project} has no release with a semantic version.", "Release a version (e.g. 1.0.0), or name a tag or SHA instead of ~latest.")
            : version);
    }

    private static int Part(Match match, int group) => int.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Fetched(byte[] Content, string From, string? Reference = null, IReadOnlyDictionary<string, string>? Component = null, string? Project = null);

    // An include to fetch: its key and name, how files name it, where answers and a missing instance are reported.
    // Server: the host asked (a remote URL's), or null for the instance.
    private sealed record Wanted(string Include, string Display, SourceLocation At, SourceLocation MissingAt, string? CacheHint, string? Server = null);

    // Without an instance Dockyard uses no network at all: remote includes too are then answered from the cache only.
    private IncludeSource Fetch(Wanted wanted, Func<GitLabInstance, Fetched> online, string projectRoot, string projectDisplay, string? project = null)
    {
        var include = wanted.Include;
        // An include listed twice (or nested twice) in one load is fetched once.
        if (_read.TryGetValue(include, out var known)) return known;
        var source = FetchOrCached(wanted, online, projectRoot, projectDisplay, project);
        _read[include] = source;
        return source;
    }

    private IncludeSource FetchOrCached(Wanted wanted, Func<GitLabInstance, Fetched> online, string projectRoot, string projectDisplay, string? project)
    {
        var (include, display, at, _, _, _) = wanted;
        string? why;
        var instance = Instance();
        var server = wanted.Server ?? instance?.Url.Authority ?? "";
        if (instance is null)
            why = "no GitLab instance (--gitlab-url or CI_SERVER_URL)";
        // Once a server did not answer (after its retries), the rest of this load asks the cache directly.
        else if (_unreachable.TryGetValue(server, out var down))
            why = down;
        else
        {
            try
            {
                var fetched = online(instance);
                var (entry, path) = _cache.Put(include, fetched.Content,
                    new CachedInclude(include, fetched.From, "", fetched.Reference, fetched.Component) { Project = fetched.Project ?? project });
                Origins.Add(new IncludeOrigin(include, entry.From, Cached: false));
                return Source(entry, path, display, projectRoot, projectDisplay);
            }
            catch (IncludeUnreachableException e) when (e.Certificate)
            {
                throw new SourceException(at, $"include {include}: {e.Message}.",
                    "Add the instance's CA certificate to the system's trust store (Dockyard validates TLS as usual).");
            }
            catch (IncludeUnreachableException e)
            {
                why = _unreachable[server] = e.Message;
            }
        }
        if (_cache.Get(include) is { } cached)
        {
            Origins.Add(new IncludeOrigin(include, cached.Entry.From, Cached: true, why));
            return Source(cached.Entry, cached.Path, display, projectRoot, projectDisplay);
        }
        var instead = wanted.CacheHint ?? "put the file in an --include-cache DIR (docs/pipelines.md)";
        throw new SourceException(instance is null ? wanted.MissingAt : at, $"include {include} cannot be read: {why}, and it is not in the cache {_cache.Directory}.",
            instance is null
                ? $"Pass --gitlab-url https://gitlab.example.com (or set CI_SERVER_URL; a token in DOCKYARD_GITLAB_TOKEN for private projects), or {instead}."
                : $"Run once while the instance is reachable (the file is then kept in .dockyard/includes), or {instead}.");
    }

    private IncludeSource Source(CachedInclude entry, string path, string display, string projectRoot, string projectDisplay) =>
        new(path, display, projectRoot, projectDisplay, entry.Component,
            entry.Reference is { } reference && entry.Project is { } project ? new FetchedProject(project, reference) : null);

    private GitLabInstance? Instance()
    {
        if (_instanceResolved) return _instance;
        _instanceResolved = true;
        if (GitLabInstanceUrl.Resolve(_explicitUrl, _environment) is { } url)
            _instance = new GitLabInstance(url, GitLabToken.From(_environment, url), Http);
        return _instance;
    }

    public void Dispose() => _downloader?.Dispose();
}
