using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>An <c>image:</c> or <c>services:</c> entry in GitLab's hash form.</summary>
/// <param name="Name">The image reference as written (variables not expanded).</param>
/// <param name="Alias">The service alias, if any.</param>
/// <param name="Entrypoint">The entrypoint override, if any.</param>
/// <param name="Command">The service command, if any.</param>
/// <param name="Hash">The full hash (name plus every other key), as shown by <c>ci preview</c>.</param>
public sealed record ContainerImage(string Name, string? Alias, IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Command, YamlMapping Hash)
{
    /// <summary>A service's <c>variables:</c> (values not expanded; GitLab allows only strings here, no <c>expand:</c>).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary><c>docker:platform</c>: the platform (<c>os/arch[/variant]</c>) the image is pulled and run for, if given.</summary>
    public string? DockerPlatform { get; init; }

    /// <summary><c>docker:user</c>: the user (name or UID, optionally <c>:group</c>) the container runs as, if given.</summary>
    public string? DockerUser { get; init; }
}
