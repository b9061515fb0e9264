using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Where a job's directory is inside its containers (<c>/builds/&lt;namespace&gt;/&lt;project&gt;</c>, its temporary
/// directory beside it at <c>….tmp</c>): the bind mounts, and the job's variables with host paths mapped to those.
/// Step and service containers see the same paths, as in the runner (services have the builds volume too).
/// </summary>
internal sealed class ContainerPaths(string projectDirectory)
{
    /// <summary>The job directory inside the container.</summary>
    public string ProjectDirectory => projectDirectory;

    /// <summary>The job's temporary directory (scripts, file variables) inside the container.</summary>
    public string TemporaryDirectory => projectDirectory + ".tmp";

    /// <summary>The bind mounts of <paramref name="directory"/>.</summary>
    public List<string> Binds(BuildDirectory directory) =>
        [$"{directory.Path}:{projectDirectory}", $"{directory.TemporaryDirectory}:{TemporaryDirectory}"];

    /// <summary><c>NAME=value</c> for every variable, with the job's directories as the container sees them.</summary>
    public List<string> Environment(IEnumerable<KeyValuePair<string, string>> variables, BuildDirectory directory) =>
        variables.Select(p => $"{p.Key}={InContainer(p.Key, p.Value, directory)}").ToList();

    private string InContainer(string name, string value, BuildDirectory directory)
    {
        if (name == "CI_PROJECT_DIR") return projectDirectory;
        if (name == "CI_BUILDS_DIR") return "/builds";
        if (value.StartsWith(directory.TemporaryDirectory, StringComparison.Ordinal)) return TemporaryDirectory + value[directory.TemporaryDirectory.Length..];
        return value;
    }
}
