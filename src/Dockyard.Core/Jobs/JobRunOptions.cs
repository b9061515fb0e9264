using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;

namespace Dockyard.Jobs;

/// <summary>How <c>dockyard ci run</c> runs: which jobs, with which variables, where and how many at once.</summary>
public sealed class JobRunOptions
{
    /// <summary>The project directory (the checkout), relative to the host's working directory.</summary>
    public string ProjectDirectory { get; init; } = ".";

    /// <summary>The pipeline file, relative to <see cref="ProjectDirectory"/>.</summary>
    public string File { get; init; } = ".gitlab-ci.yml";

    /// <summary>A directory with project/remote/template/component includes, or null.</summary>
    public string? IncludeCacheDirectory { get; init; }

    /// <summary>The GitLab instance non-local includes are fetched from; null = <c>CI_SERVER_URL</c>, if set.</summary>
    public string? GitLabUrl { get; init; }

    /// <summary>Which jobs run.</summary>
    public RunSelection Selection { get; init; } = new();

    /// <summary>How the pipeline was started (source, kind of push, merge request target, Kubernetes, licensed features).</summary>
    public Pipelines.Triggers.PipelineTrigger Trigger { get; init; } = Pipelines.Triggers.PipelineTrigger.Default;

    /// <summary>Variables of the variables file (as project variables), then <c>--variable</c> ones (as pipeline variables), lowest first.</summary>
    public IReadOnlyList<JobVariable> Variables { get; init; } = [];

    /// <summary>The executor (<see cref="ExecutorKind.Auto"/> by default).</summary>
    public ExecutorKind Executor { get; init; } = ExecutorKind.Auto;

    /// <summary>How many jobs run at once (default: the number of cores).</summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>Run in the checkout itself instead of a copy under <c>.dockyard/builds</c>.</summary>
    public bool InPlace { get; init; }

    /// <summary>Copy every stored artifact back into the checkout after the run.</summary>
    public bool ArtifactsToSource { get; init; }

    /// <summary>Whether logs carry the runner's ANSI colours and section markers (a terminal).</summary>
    public bool Color { get; init; }

    /// <summary>The argv prefix that starts the Dockyard CLI (e.g. <c>[dotnet, /path/dockyard.dll]</c>), used by the docker/buildah/podman shims of shell jobs; null: no shims.</summary>
    public IReadOnlyList<string>? DockyardCommand { get; init; }
}
