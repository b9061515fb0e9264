namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>
/// The token sent to a GitLab instance's API, and where it came from (never its value in any text):
/// <c>DOCKYARD_GITLAB_TOKEN</c> (a personal, project or group access token, <c>PRIVATE-TOKEN</c> header), else
/// <c>CI_JOB_TOKEN</c> when <c>CI_SERVER_URL</c> names the same instance (<c>JOB-TOKEN</c> header, inside a job),
/// else <c>GITLAB_TOKEN</c> (glab's variable, <c>PRIVATE-TOKEN</c>).
/// </summary>
/// <param name="Header">The request header: <c>PRIVATE-TOKEN</c> or <c>JOB-TOKEN</c>.</param>
/// <param name="Value">The token.</param>
/// <param name="Source">The variable it was read from.</param>
internal sealed record GitLabToken(string Header, string Value, string Source)
{
    /// <summary>The token for <paramref name="instance"/> from <paramref name="environment"/>, or null.</summary>
    public static GitLabToken? From(IReadOnlyDictionary<string, string> environment, Uri instance)
    {
        string? Get(string name) => environment.TryGetValue(name, out var v) && v.Length > 0 ? v : null;
        if (Get("DOCKYARD_GITLAB_TOKEN") is { } own) return new("PRIVATE-TOKEN", own, "DOCKYARD_GITLAB_TOKEN");
        if (Get("CI_JOB_TOKEN") is { } job && Get("CI_SERVER_URL") is { } server && GitLabInstanceUrl.SameInstance(server, instance))
            return new("JOB-TOKEN", job, "CI_JOB_TOKEN");
        if (Get("GITLAB_TOKEN") is { } glab) return new("PRIVATE-TOKEN", glab, "GITLAB_TOKEN");
        return null;
    }

    /// <summary>Names the header and the variable, never the value.</summary>
    public override string ToString() => $"{Header} from {Source}";
}
