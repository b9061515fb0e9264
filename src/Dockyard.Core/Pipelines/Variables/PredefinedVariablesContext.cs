using Dockyard.Pipelines.Triggers;

namespace Dockyard.Pipelines.Variables;

/// <summary>What <see cref="PredefinedVariables.Compute"/> needs to know about the local run.</summary>
public sealed record PredefinedVariablesContext
{
    /// <summary>Creates a context for <paramref name="projectDirectory"/> (the directory holding <c>.gitlab-ci.yml</c>).</summary>
    public PredefinedVariablesContext(string projectDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectDirectory);
        ProjectDirectory = projectDirectory;
    }

    /// <summary>The project directory (a git work tree, or any directory).</summary>
    public string ProjectDirectory { get; init; }

    /// <summary>The host's environment (inside GitLab CI the job's); null means none, a local run.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>How the simulated pipeline was started (source, kind of push, merge request target, project facts).</summary>
    public PipelineTrigger Trigger { get; init; } = PipelineTrigger.Default;

    /// <summary>The clock for <c>CI_PIPELINE_CREATED_AT</c>; null means the system clock.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The pipeline file path relative to the project, for <c>CI_CONFIG_PATH</c>.</summary>
    public string ConfigPath { get; init; } = ".gitlab-ci.yml";

    /// <summary>The git executable to run (found on PATH by default).</summary>
    public string GitExecutable { get; init; } = "git";
}
