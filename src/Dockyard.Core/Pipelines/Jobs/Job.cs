using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>A fully resolved job (includes, extends, references, defaults, rules and parallel expansion applied).</summary>
public sealed class Job
{
    /// <summary>The job name as GitLab shows it (<c>unit 1/3</c>, <c>build: [linux-x64, alpine]</c>).</summary>
    public required string Name { get; init; }

    /// <summary>The name of the job definition (without the parallel suffix).</summary>
    public required string BaseName { get; init; }

    /// <summary>The stage.</summary>
    public required string Stage { get; init; }

    /// <summary><c>on_success</c>, <c>on_failure</c>, <c>always</c>, <c>manual</c>, <c>delayed</c> or <c>never</c> (excluded by rules/only/except).</summary>
    public required string When { get; init; }

    /// <summary>Whether a failure does not fail the pipeline.</summary>
    public required bool AllowFailure { get; init; }

    /// <summary>Exit codes that are allowed to fail (<c>allow_failure:exit_codes</c>, GitLab's <c>allow_failure_criteria</c>;
    /// <see cref="AllowFailure"/> is then false: any other exit code fails the pipeline); empty otherwise.</summary>
    public IReadOnlyList<int> AllowFailureExitCodes { get; init; } = [];

    /// <summary>The needs, or null when the job has no <c>needs:</c> (stage order applies).</summary>
    public IReadOnlyList<JobNeed>? Needs { get; init; }

    /// <summary>The image, or null.</summary>
    public ContainerImage? Image { get; init; }

    /// <summary>The services.</summary>
    public IReadOnlyList<ContainerImage> Services { get; init; } = [];

    /// <summary><c>before_script</c> lines, nested lists flattened.</summary>
    public IReadOnlyList<string> BeforeScript { get; init; } = [];

    /// <summary><c>script</c> lines, nested lists flattened.</summary>
    public IReadOnlyList<string> Script { get; init; } = [];

    /// <summary><c>after_script</c> lines, nested lists flattened.</summary>
    public IReadOnlyList<string> AfterScript { get; init; } = [];

    /// <summary>The job's variables in precedence order applied: global, job, rules, matrix (values not expanded).</summary>
    public IReadOnlyDictionary<string, PipelineVariable> Variables { get; init; } = new Dictionary<string, PipelineVariable>();

    /// <summary>Runner tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary><c>start_in</c> of a delayed job, or null.</summary>
    public string? StartIn { get; init; }

    /// <summary><c>timeout</c> as written, or null.</summary>
    public string? Timeout { get; init; }

    /// <summary>The 1-based index of a <c>parallel</c> instance (<c>CI_NODE_INDEX</c>), or null.</summary>
    public int? NodeIndex { get; init; }

    /// <summary>The number of <c>parallel</c> instances (<c>CI_NODE_TOTAL</c>), or null.</summary>
    public int? NodeTotal { get; init; }

    /// <summary>The matrix variables of a <c>parallel:matrix</c> instance; empty otherwise.</summary>
    public IReadOnlyDictionary<string, string> MatrixVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>The environment (string or hash form as written), or null.</summary>
    public YamlNode? Environment { get; init; }

    /// <summary>The environment name, or null.</summary>
    public string? EnvironmentName { get; init; }

    /// <summary>The artifacts hash, or null.</summary>
    public YamlNode? Artifacts { get; init; }

    /// <summary>The cache hash or list, or null.</summary>
    public YamlNode? Cache { get; init; }

    /// <summary>The retry value (number or hash), or null.</summary>
    public YamlNode? Retry { get; init; }

    /// <summary>The trigger (string or hash) of a trigger job, or null.</summary>
    public YamlNode? Trigger { get; init; }

    /// <summary>True when the job is a parallel or matrix instance.</summary>
    public bool IsParallel => NodeTotal is not null;

    /// <summary>Where the job is defined.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>The resolved job hash as <c>ci preview</c> shows it.</summary>
    public required YamlMapping Definition { get; init; }
}
