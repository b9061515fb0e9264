using System.Text;
using Dockyard.Processes;

namespace Dockyard.Builders.Buildah;

/// <summary>
/// A private <c>registries.conf</c> (given to buildah through <c>CONTAINERS_REGISTRIES_CONF</c>) marking each insecure
/// registry of a build <c>insecure = true</c>, so that buildah reaches them over plain HTTP or unverified TLS one by
/// one, while every other registry keeps TLS verification (<c>--tls-verify=false</c> would drop it for all pulls).
/// Short names resolve to docker.io, as in docker.
/// </summary>
internal static class BuildahRegistriesConf
{
    /// <summary>The variable containers/image reads the file's path from.</summary>
    public const string Variable = "CONTAINERS_REGISTRIES_CONF";

    /// <summary>Writes the file into <paramref name="directory"/> when a registry of the build is insecure; returns its path, else <c>null</c>.</summary>
    public static string? Write(PrivateDirectory directory, IReadOnlyList<string> registries, BuildahOptions options)
    {
        var insecure = registries.Where(options.IsInsecure).ToList();
        if (insecure.Count == 0) return null;
        var text = new StringBuilder("unqualified-search-registries = [\"docker.io\"]\nshort-name-mode = \"permissive\"\n");
        foreach (var registry in insecure)
            text.Append("\n[[registry]]\nlocation = \"").Append(registry.Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal))
                .Append("\"\ninsecure = true\n");
        return directory.WriteSecretFile("registries.conf", text.ToString());
    }
}
