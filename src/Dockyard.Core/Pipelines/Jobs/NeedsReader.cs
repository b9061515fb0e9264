using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>Reads <c>needs:</c>: a list of job names or hashes <c>{job, artifacts, optional, parallel:matrix, pipeline, project, ref}</c>.</summary>
internal static class NeedsReader
{
    /// <summary>GitLab's default limit of needs per job.</summary>
    public const int MaxNeeds = 50;

    private static readonly HashSet<string> Keys = ["job", "artifacts", "optional", "parallel", "pipeline", "project", "ref"];

    /// <summary>The needs, or null when <paramref name="node"/> is absent.</summary>
    public static List<NeedSpec>? Read(YamlNode? node, string job)
    {
        if (node is null) return null;
        if (node is YamlScalar { IsNull: true }) return [];
        if (node is not YamlSequence list)
            throw new SourceException(node.Location, $"job '{job}': needs must be a list, not {node.KindName}.",
                "Write needs: [build] or needs: [{job: build, artifacts: false}].");
        var items = ScriptLines.Flatten(list, $"job '{job}': needs");
        if (items.Count > MaxNeeds)
            throw new SourceException(node.Location, $"job '{job}': more than {MaxNeeds} needs.", "GitLab allows at most 50 needs per job.");
        return items.Select(i => Entry(i, job)).ToList();
    }

    private static NeedSpec Entry(YamlNode item, string job)
    {
        switch (item)
        {
            case YamlScalar { IsNull: false } s:
                return new NeedSpec(s.Text, true, false, null, null, null, s.Location);
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (!Keys.Contains(e.Key))
                        throw new SourceException(e.KeyLocation, $"job '{job}': unknown needs keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, Keys)}.",
                            "Use job, artifacts, optional, parallel, pipeline, project or ref.");
                if (map["job"] is not YamlScalar { IsNull: false } name)
                    throw new SourceException(map.Location, $"job '{job}': a needs hash must have job:.", "Add job: name.");
                List<List<KeyValuePair<string, string>>>? matrix = null;
                if (map["parallel"] is { } parallel)
                {
                    if (parallel is not YamlMapping pm || pm["matrix"] is not YamlSequence ms)
                        throw new SourceException(parallel.Location, $"job '{job}': needs:parallel must be a hash with matrix:.", null);
                    matrix = ParallelExpander.Combinations(job, ms);
                }
                return new NeedSpec(name.Text, Bool(map["artifacts"], true, job), Bool(map["optional"], false, job), matrix,
                    Text(map["pipeline"]), Text(map["project"]), map.Location);
            default:
                throw new SourceException(item.Location, $"job '{job}': a needs entry must be a job name or a hash, not {item.KindName}.", null);
        }
    }

    private static string? Text(YamlNode? node) => node is YamlScalar { IsNull: false } s ? s.Text : null;

    private static bool Bool(YamlNode? node, bool fallback, string job) => node switch
    {
        null => fallback,
        YamlScalar { AsBoolean: { } b } => b,
        _ => throw new SourceException(node.Location, $"job '{job}': needs artifacts/optional must be true or false.", null),
    };
}
