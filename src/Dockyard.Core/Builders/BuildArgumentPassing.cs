namespace Dockyard.Builders;

/// <summary>
/// Hands build arguments to <c>docker build</c> / <c>buildah bud</c> without putting their values on the command line:
/// both tools read <c>--build-arg NAME</c> (no <c>=</c>) from their own environment. Names the tool itself reads from
/// its environment (PATH, HOME, proxies, DOCKER_*, BUILDAH_*, …) are passed as <c>NAME=VALUE</c> instead, so the
/// tool keeps working.
/// </summary>
internal static class BuildArgumentPassing
{
    private static readonly string[] ToolPrefixes = ["DOCKER_", "BUILDAH_", "BUILDKIT_", "CONTAINERS_", "XDG_", "LC_", "STORAGE_", "REGISTRY_"];

    private static readonly HashSet<string> ToolVariables = new(StringComparer.OrdinalIgnoreCase)
    {
        "PATH", "HOME", "USER", "TMPDIR", "LANG", "SHELL", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "FTP_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR",
    };

    /// <summary>The <c>--build-arg</c> arguments and the environment variables carrying their values.</summary>
    public static (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string?> Environment) For(IReadOnlyDictionary<string, string> buildArguments)
    {
        var arguments = new List<string>();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in buildArguments.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal))
                throw new Diagnostics.DockyardException($"Build argument '{name}' has no valid name; give it as NAME=VALUE.") { Setting = Diagnostics.Setting.BuildArgument };
            arguments.Add("--build-arg");
            if (IsToolVariable(name))
            {
                arguments.Add($"{name}={value}");
            }
            else
            {
                arguments.Add(name);
                environment[name] = value;
            }
        }
        return (arguments, environment);
    }

    private static bool IsToolVariable(string name) =>
        ToolVariables.Contains(name) || ToolPrefixes.Any(p => name.StartsWith(p, StringComparison.OrdinalIgnoreCase));
}
