using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Downstream;

/// <summary>
/// A trigger job's <c>trigger:</c>, validated as GitLab validates it (<c>lib/gitlab/ci/config/entry/trigger.rb</c>):
/// a string or a hash with <c>project</c> (+<c>branch</c>) is a multi-project trigger; a hash with <c>include</c> (at most
/// three entries) starts a child pipeline of this project; <c>strategy</c> is <c>depend</c> or <c>mirror</c>;
/// <c>forward</c> says which variables the downstream pipeline receives.
/// </summary>
public sealed record TriggerSpec
{
    /// <summary>GitLab's <c>SameProjectTrigger::INCLUDE_MAX_SIZE</c>.</summary>
    public const int MaxIncludes = 3;

    private static readonly string[] ChildKeys = ["include", "strategy", "forward"];
    private static readonly string[] ProjectKeys = ["project", "branch", "strategy", "forward"];
    private static readonly string[] ForwardKeys = ["yaml_variables", "pipeline_variables"];
    private static readonly string[] Strategies = ["depend", "mirror"];

    /// <summary>The <c>trigger:include</c> node of a child pipeline; null for a multi-project trigger.</summary>
    public YamlNode? Include { get; init; }

    /// <summary>The downstream project of a multi-project trigger; null for a child pipeline.</summary>
    public string? Project { get; init; }

    /// <summary>The downstream branch of a multi-project trigger, or null (its default branch).</summary>
    public string? Branch { get; init; }

    /// <summary><c>depend</c> or <c>mirror</c> (the trigger job waits and takes the downstream status), or null.</summary>
    public string? Strategy { get; init; }

    /// <summary><c>forward:yaml_variables</c> (default true): the trigger job's variables reach the downstream pipeline.</summary>
    public bool ForwardYamlVariables { get; init; } = true;

    /// <summary><c>forward:pipeline_variables</c> (default false): this pipeline's own pipeline variables reach it too.</summary>
    public bool ForwardPipelineVariables { get; init; }

    /// <summary>Where the <c>trigger:</c> value is.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>True for a child pipeline (<c>trigger:include</c>).</summary>
    public bool IsChild => Include is not null;

    /// <summary>True when the trigger job waits for the downstream pipeline and ends with its status.</summary>
    public bool Waits => Strategy is not null;

    /// <summary>The <c>trigger:include</c> entries, in order.</summary>
    public IReadOnlyList<YamlNode> IncludeEntries => Include switch
    {
        null => [],
        YamlSequence list => list.Items,
        _ => [Include],
    };

    /// <summary>The entries that name a job's artifact (<c>artifact:</c> + <c>job:</c>): the configuration is made at run time.</summary>
    public IReadOnlyList<(string Artifact, string Job, SourceLocation Location)> ArtifactIncludes =>
        IncludeEntries.OfType<YamlMapping>().Where(m => m.ContainsKey("artifact"))
            .Select(m => (Text(m["artifact"]!, "trigger:include:artifact"), m["job"] is { } job ? Text(job, "trigger:include:job")
                : throw new SourceException(m.Location, "trigger:include:artifact needs job: (the job whose artifact holds the configuration).",
                    "Add job: NAME beside artifact:."), m.Location)).ToList();

    /// <summary>Reads the <c>trigger:</c> of job <paramref name="job"/>; a value GitLab rejects is a <see cref="SourceException"/>.</summary>
    public static TriggerSpec Read(YamlNode node, string job)
    {
        ArgumentNullException.ThrowIfNull(node);
        switch (node)
        {
            case YamlScalar { IsNull: false } project when project.Text.Length > 0:
                return new TriggerSpec { Project = project.Text, Location = node.Location };
            case YamlScalar or YamlMapping { Count: 0 }:
                throw new SourceException(node.Location, $"jobs:{job}:trigger config can't be blank.",
                    "Write trigger: {include: child.yml} for a child pipeline or trigger: group/project for a multi-project pipeline.");
            case YamlMapping map:
                var isChild = map.ContainsKey("include");
                var allowed = isChild ? ChildKeys : ProjectKeys;
                foreach (var entry in map.Entries)
                    if (!allowed.Contains(entry.Key))
                        throw new SourceException(entry.KeyLocation, $"jobs:{job}:trigger config contains unknown keys: {entry.Key}.",
                            isChild ? "A child pipeline trigger takes include, strategy and forward." : "A multi-project trigger takes project, branch, strategy and forward.");
                var strategy = OptionalText(map["strategy"], job, "strategy");
                if (strategy is not null && !Strategies.Contains(strategy))
                    throw new SourceException(map["strategy"]!.Location, $"jobs:{job}:trigger strategy should be depend or mirror.",
                        "Write strategy: depend (or mirror), or remove it.");
                var (yamlVariables, pipelineVariables) = Forward(map["forward"], job);
                if (isChild)
                {
                    var include = map["include"]!;
                    var count = include is YamlSequence list ? list.Items.Count : 1;
                    if (include is YamlScalar { IsNull: true } || count == 0)
                        throw new SourceException(include.Location, $"jobs:{job}:trigger:include config can't be blank.", "Name the child pipeline's file: include: path/child.yml.");
                    if (count > MaxIncludes)
                        throw new SourceException(include.Location, $"jobs:{job}:trigger:include config is too long (maximum is {MaxIncludes}).",
                            "Include at most three files in the child pipeline; let one of them include the rest.");
                    return new TriggerSpec { Include = include, Strategy = strategy, ForwardYamlVariables = yamlVariables, ForwardPipelineVariables = pipelineVariables, Location = node.Location };
                }
                var projectName = OptionalText(map["project"], job, "project")
                    ?? throw new SourceException(map.Location, $"jobs:{job}:trigger config must specify either project or include.",
                        "Add include: child.yml (a child pipeline) or project: group/project (a multi-project pipeline).");
                return new TriggerSpec
                {
                    Project = projectName, Branch = OptionalText(map["branch"], job, "branch"), Strategy = strategy,
                    ForwardYamlVariables = yamlVariables, ForwardPipelineVariables = pipelineVariables, Location = node.Location,
                };
            default:
                throw new SourceException(node.Location, $"jobs:{job}:trigger has to be either a string or a hash, not {node.KindName}.",
                    "Write trigger: {include: child.yml} or trigger: group/project.");
        }
    }

    private static (bool Yaml, bool Pipeline) Forward(YamlNode? node, string job)
    {
        if (node is null or YamlScalar { IsNull: true }) return (true, false);
        if (node is not YamlMapping map)
            throw new SourceException(node.Location, $"jobs:{job}:trigger:forward config should be a hash, not {node.KindName}.", "Write forward: {yaml_variables: true, pipeline_variables: false}.");
        foreach (var entry in map.Entries)
            if (!ForwardKeys.Contains(entry.Key))
                throw new SourceException(entry.KeyLocation, $"jobs:{job}:trigger:forward config contains unknown keys: {entry.Key}.", "forward takes yaml_variables and pipeline_variables.");
        return (Flag(map["yaml_variables"], job, "yaml_variables") ?? true, Flag(map["pipeline_variables"], job, "pipeline_variables") ?? false);
    }

    private static bool? Flag(YamlNode? node, string job, string key) => node switch
    {
        null or YamlScalar { IsNull: true } => null,
        YamlScalar { AsBoolean: { } value } => value,
        _ => throw new SourceException(node.Location, $"jobs:{job}:trigger:forward {key} should be a boolean value.", "Write true or false."),
    };

    private static string? OptionalText(YamlNode? node, string job, string key) => node switch
    {
        null or YamlScalar { IsNull: true } => null,
        YamlScalar scalar => scalar.Text,
        _ => throw new SourceException(node.Location, $"jobs:{job}:trigger {key} should be a string, not {node.KindName}.", null),
    };

    private static string Text(YamlNode node, string key) =>
        node is YamlScalar { IsNull: false } scalar ? scalar.Text
            : throw new SourceException(node.Location, $"{key} must be a string, not {node.KindName}.", null);
}
