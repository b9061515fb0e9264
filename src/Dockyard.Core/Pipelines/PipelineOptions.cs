using Dockyard.Pipelines.Triggers;

namespace Dockyard.Pipelines;

/// <summary>What <c>PipelineLoader.Load</c> reads and with which variables.</summary>
public sealed class PipelineOptions
{
    /// <summary>The project root (the repository checkout); local includes and <c>exists</c> resolve against it.</summary>
    public string ProjectDirectory { get; init; } = ".";

    /// <summary>The pipeline file, relative to <see cref="ProjectDirectory"/> (default <c>.gitlab-ci.yml</c>).</summary>
    public string File { get; init; } = ".gitlab-ci.yml";

    /// <summary>Pipeline variables (<c>--variable K=V</c>): highest precedence, also visible to include paths and rules.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Project CI/CD variables (a variables file): below <see cref="Variables"/>, above the YAML's; unlike pipeline
    /// variables, child pipelines see them too.
    /// </summary>
    public IReadOnlyDictionary<string, string> ProjectVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>A directory holding <c>project</c>/<c>remote</c>/<c>template</c>/<c>component</c> includes (layout in docs/pipelines.md), or null.</summary>
    public string? IncludeCacheDirectory { get; init; }

    /// <summary>
    /// The GitLab instance <c>template</c>, <c>project</c> and <c>component</c> includes are fetched from
    /// (<c>--gitlab-url</c>); null uses <c>CI_SERVER_URL</c> of <see cref="Environment"/>, and without either they come
    /// from <see cref="IncludeCacheDirectory"/> or the project's <c>.dockyard/includes</c> (docs/pipelines.md).
    /// </summary>
    public string? GitLabUrl { get; init; }

    /// <summary>
    /// Pipeline-level predefined variables computed earlier (with <c>PredefinedVariables.Compute</c>) for callers that load
    /// the same checkout repeatedly; null computes them from git and the environment on every load.
    /// </summary>
    public IReadOnlyDictionary<string, string>? PredefinedVariables { get; init; }

    /// <summary>
    /// How the pipeline was started (source, kind of push, merge request target, Kubernetes, licensed features); must be
    /// the trigger <see cref="PredefinedVariables"/> were computed with when they are given.
    /// </summary>
    public PipelineTrigger Trigger { get; init; } = PipelineTrigger.Default;

    /// <summary>The host's environment (for predefined variables when running inside GitLab CI); null means none (a local run).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }
}
