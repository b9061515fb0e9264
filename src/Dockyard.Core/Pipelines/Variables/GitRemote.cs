namespace Dockyard.Pipelines.Variables;

/// <summary>The GitLab server and project path read from a git remote URL.</summary>
/// <param name="Host">The server host name.</param>
/// <param name="Protocol">The web protocol (<c>https</c> unless the remote itself is <c>http</c>).</param>
/// <param name="Port">The web port (443/80 unless an http(s) remote names another).</param>
/// <param name="ProjectPath">The project path <c>group/sub/name</c> without <c>.git</c>.</param>
internal sealed record GitRemote(string Host, string Protocol, int Port, string ProjectPath)
{
    /// <summary>
    /// Parses <c>git@host:group/proj.git</c>, <c>ssh://[user@]host[:port]/group/proj.git</c>,
    /// <c>http(s)://[user[:password]@]host[:port]/group/proj[.git]</c>. Returns null for anything else (local paths).
    /// </summary>
    public static GitRemote? Parse(string url)
    {
        url = url.Trim();
        if (url.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            {
                return null;
            }

            var path = CleanPath(Uri.UnescapeDataString(uri.AbsolutePath));
            if (path is null)
            {
                return null;
            }

            return uri.Scheme switch
            {
                "https" => new GitRemote(uri.Host, "https", uri.Port, path),
                "http" => new GitRemote(uri.Host, "http", uri.Port, path),
                // ssh, git+ssh, git: the port is the ssh/git port, the web server is assumed on https.
                _ => new GitRemote(uri.Host, "https", 443, path),
            };
        }

        // scp-like syntax: [user@]host:path (a colon before any slash).
        var colon = url.IndexOf(':');
        var slash = url.IndexOf('/');
        if (colon <= 0 || (slash >= 0 && slash < colon))
        {
            return null;
        }

        var hostPart = url[..colon];
        var at = hostPart.LastIndexOf('@');
        var host = at >= 0 ? hostPart[(at + 1)..] : hostPart;
        var scpPath = CleanPath(url[(colon + 1)..]);
        return host.Length == 0 || scpPath is null ? null : new GitRemote(host, "https", 443, scpPath);
    }

    private static string? CleanPath(string path)
    {
        path = path.Trim('/');
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }

        path = path.TrimEnd('/');
        return path.Length == 0 ? null : path;
    }
}
