namespace Dockyard.Jobs.Docker;

/// <summary>
/// The hostnames a service is reached by, as GitLab Runner derives them: the image name without tag or digest with
/// <c>/</c> replaced by <c>__</c> and by <c>-</c>, plus every <c>alias</c> (comma or space separated).
/// </summary>
internal static class ServiceHostnames
{
    /// <summary>The hostnames of a service with image <paramref name="image"/> and <paramref name="alias"/>.</summary>
    public static IReadOnlyList<string> Of(string image, string? alias)
    {
        var name = image;
        var at = name.IndexOf('@');
        if (at >= 0) name = name[..at];
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/')) name = name[..colon];
        var names = new List<string> { name.Replace("/", "__", StringComparison.Ordinal), name.Replace('/', '-') };
        if (alias is not null) names.AddRange(alias.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return names.Distinct(StringComparer.Ordinal).ToList();
    }
}
