using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>
/// The address of the GitLab instance includes are fetched from: <c>--gitlab-url</c>, else <c>CI_SERVER_URL</c>.
/// It must be <c>https://</c>, or <c>http://</c> on a loopback address (a test server): a token never travels in clear.
/// </summary>
internal static class GitLabInstanceUrl
{
    /// <summary>The instance's URL ending in <c>/</c>, or null when neither <paramref name="explicitUrl"/> nor <c>CI_SERVER_URL</c> is set.</summary>
    /// <exception cref="DockyardException">The URL is not absolute, or is plain http to a non-loopback host.</exception>
    public static Uri? Resolve(string? explicitUrl, IReadOnlyDictionary<string, string>? environment)
    {
        var (text, origin) = explicitUrl is { Length: > 0 } given ? (given, "--gitlab-url")
            : environment is not null && environment.TryGetValue("CI_SERVER_URL", out var server) && server.Length > 0 ? (server, "CI_SERVER_URL")
            : (null, "");
        if (text is null) return null;
        if (!Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0)
            throw new DockyardException($"{origin} '{text}' is not an https:// address of a GitLab instance. Write e.g. https://gitlab.example.com.");
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            throw new DockyardException($"{origin} '{text}' uses plain http, which would send the GitLab token in clear. Use https:// (http:// is accepted only for a loopback test server).");
        return uri;
    }

    /// <summary>Whether <paramref name="url"/> (e.g. <c>CI_SERVER_URL</c>) names <paramref name="instance"/>.</summary>
    public static bool SameInstance(string url, Uri instance) =>
        Uri.TryCreate(url.TrimEnd('/') + "/", UriKind.Absolute, out var other)
        && Uri.Compare(other, instance, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>How components of <paramref name="instance"/> start: host[:port] and the relative URL root (GitLab's <c>gitlab_fqdn</c>).</summary>
    public static string ComponentPrefix(Uri instance) => (instance.Authority + instance.AbsolutePath).TrimEnd('/');
}
