using System.Net;
using System.Text;
using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>
/// The API endpoints GitLab itself reads includes from (<c>lib/gitlab/ci/config/external/file/*.rb</c>):
/// <c>GET /api/v4/templates/gitlab_ci_ymls/:name</c> (JSON <c>{name, content}</c>),
/// <c>GET /api/v4/projects/:path/repository/files/:file/raw?ref=REF</c>,
/// <c>GET /api/v4/projects/:path/repository/commits/:ref</c> (a ref's SHA) and
/// <c>GET /api/v4/projects/:path/releases</c> (a component's <c>~latest</c>). Every call carries the token; a 4xx
/// answer is one <see cref="SourceException"/> at the include, naming it, the status and what to do.
/// </summary>
/// <param name="url">The instance (ending in <c>/</c>).</param>
/// <param name="token">The token, or null (public projects and templates only).</param>
/// <param name="http">The HTTP side.</param>
internal sealed class GitLabInstance(Uri url, GitLabToken? token, IncludeDownloader http)
{
    /// <summary>The instance's URL.</summary>
    public Uri Url { get; } = url;

    /// <summary>How the instance is named in messages (<c>https://gitlab.example.com</c>).</summary>
    public string Name => Url.ToString().TrimEnd('/');

    /// <summary>The content of the instance's template <paramref name="name"/> (with or without <c>.gitlab-ci.yml</c>).</summary>
    public byte[] Template(string name, string include, SourceLocation at)
    {
        var key = name.EndsWith(".gitlab-ci.yml", StringComparison.Ordinal) ? name[..^".gitlab-ci.yml".Length] : name;
        var body = Read($"templates/gitlab_ci_ymls/{Escape(key, include, at)}", include, at);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                return Encoding.UTF8.GetBytes(content.GetString()!);
        }
        catch (JsonException) { }
        throw new SourceException(at, $"include {include}: {Name} answered the template API without a content field.",
            "Check that --gitlab-url (or CI_SERVER_URL) is a GitLab instance.");
    }

    /// <summary>The file <paramref name="file"/> of <paramref name="project"/> at <paramref name="reference"/>.</summary>
    public byte[] File(string project, string reference, string file, string include, SourceLocation at) =>
        Read(FilePath(project, reference, file, include, at), include, at);

    /// <summary>Like <see cref="File"/>, but null when the instance answers 404.</summary>
    public byte[]? FileIfExists(string project, string reference, string file, string include, SourceLocation at) =>
        ReadOrNull(FilePath(project, reference, file, include, at), include, at);

    private static string FilePath(string project, string reference, string file, string include, SourceLocation at) =>
        $"projects/{Escape(project, include, at)}/repository/files/{Escape(file, include, at)}/raw?ref={Uri.EscapeDataString(reference)}";

    // One URL path segment; '.' and '..' parts are refused (they would move the request to another API path).
    private static string Escape(string value, string include, SourceLocation at) =>
        value.Length == 0 || value.Split('/').Any(part => part is "." or ".." or "")
            ? throw new SourceException(at, $"include {include}: '{value}' is not a valid GitLab path ('.', '..' or an empty part).", "Write the project's full path and a file path inside it.")
            : Uri.EscapeDataString(value);

    /// <summary>The commit SHA <paramref name="reference"/> (tag, branch or SHA) of <paramref name="project"/> points at.</summary>
    public string CommitSha(string project, string reference, string include, SourceLocation at)
    {
        var body = Read($"projects/{Escape(project, include, at)}/repository/commits/{Escape(reference, include, at)}", include, at);
        return StringProperty(body, "id") ?? throw new SourceException(at, $"include {include}: {Name} answered the commits API without an id.", null);
    }

    /// <summary>The tag names of <paramref name="project"/>'s releases (newest first, at most 100).</summary>
    public IReadOnlyList<string> ReleaseTags(string project, string include, SourceLocation at)
    {
        var body = Read($"projects/{Escape(project, include, at)}/releases?per_page=100", include, at);
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Array)
                return json.RootElement.EnumerateArray()
                    .Select(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("tag_name", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                    .OfType<string>().ToList();
        }
        catch (JsonException) { }
        throw new SourceException(at, $"include {include}: {Name} answered the releases API with something other than a list.", null);
    }

    private byte[]? ReadOrNull(string relative, string include, SourceLocation at)
    {
        var answer = http.Get(new Uri(Url, "api/v4/" + relative), token, api: true);
        return answer.Status switch
        {
            HttpStatusCode.OK => answer.Body,
            HttpStatusCode.NotFound => null,
            _ => throw Refused(answer, include, at),
        };
    }

    private byte[] Read(string relative, string include, SourceLocation at)
    {
        var answer = http.Get(new Uri(Url, "api/v4/" + relative), token, api: true);
        return answer.Status == HttpStatusCode.OK ? answer.Body : throw Refused(answer, include, at);
    }

    private SourceException Refused(HttpAnswer answer, string include, SourceLocation at)
    {
        var status = $"{(int)answer.Status} {answer.Status}";
        var said = GitLabMessage(answer.Body) is { } message ? $" ('{message}')" : "";
        var sent = token is null ? "no token was sent" : $"the token in {token.Source} was sent";
        return answer.Status switch
        {
            HttpStatusCode.Unauthorized => new SourceException(at, $"include {include}: {Name} answered {status}{said}; {sent}.",
                token is null ? "Set DOCKYARD_GITLAB_TOKEN to a personal or project access token with read_api, or run in a job (CI_JOB_TOKEN)."
                    : $"Replace {token.Source} with a valid, unexpired token with read_api (or read_repository) scope."),
            HttpStatusCode.Forbidden => new SourceException(at, $"include {include}: {Name} answered {status}{said}; {sent}, and it may not read this.",
                "Use a token of a member of that project (read_api scope), or add this project to the other project's job token allowlist."),
            HttpStatusCode.NotFound => new SourceException(at, $"include {include}: {Name} answered {status}{said}: it does not exist, or {sent} and it cannot see it.",
                token is null ? "Check the name, ref and file; for a private project set DOCKYARD_GITLAB_TOKEN." : "Check the name, ref and file."),
            HttpStatusCode.RequestEntityTooLarge => new SourceException(at, $"include {include}: {Name} answered more than {IncludeDownloader.MaxResponseBytes / (1024 * 1024)} MiB; Dockyard does not read that much.",
                "Split the included configuration into smaller files."),
            _ => new SourceException(at, $"include {include}: {Name} answered {status}{said}.", "Check --gitlab-url (or CI_SERVER_URL) and the include."),
        };
    }

    // GitLab's error bodies are {"message": "404 File Not Found"} (or {"error": …}); shown short, and never if the token appears.
    private string? GitLabMessage(byte[] body)
    {
        var text = StringProperty(body, "message") ?? StringProperty(body, "error");
        if (text is null || (token is not null && text.Contains(token.Value, StringComparison.Ordinal))) return null;
        text = new string(text.Where(c => !char.IsControl(c)).Take(160).ToArray());
        return text.Length == 0 ? null : text;
    }

    private static string? StringProperty(byte[] body, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
