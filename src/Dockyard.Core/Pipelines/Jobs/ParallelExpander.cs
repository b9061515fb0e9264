using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// Expands <c>parallel: N</c> into <c>name 1/N</c> … <c>name N/N</c> and <c>parallel:matrix</c> into the cartesian
/// product of each hash (first key outermost), named <c>name: [v1, v2]</c>, as GitLab does.
/// </summary>
internal static class ParallelExpander
{
    /// <summary>GitLab's limit of instances per job.</summary>
    public const int MaxInstances = 200;

    public static IReadOnlyList<ParallelInstance> Expand(string job, YamlNode? parallel)
    {
        switch (parallel)
        {
            case null or YamlScalar { IsNull: true }:
                return [new ParallelInstance(job, null, null, [])];
            case YamlScalar { AsInteger: { } n } when n is >= 1 and <= MaxInstances:
            {
                int total = (int)n;
                return Enumerable.Range(1, total).Select(i => new ParallelInstance($"{job} {i}/{total}", i, total, [])).ToList();
            }
            case YamlScalar s:
                throw new SourceException(s.Location, $"job '{job}': parallel must be a number from 1 to {MaxInstances} or a matrix, not '{s.Text}'.",
                    "Write parallel: 3 or parallel: {matrix: [{VAR: [a, b]}]}.");
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (e.Key != "matrix")
                        throw new SourceException(e.KeyLocation, $"job '{job}': unknown parallel keyword '{e.Key}'.", "parallel: accepts only matrix:.");
                if (map["matrix"] is not YamlSequence matrix)
                    throw new SourceException(map.Location, $"job '{job}': parallel:matrix must be a list of hashes.",
                        "Write parallel: {matrix: [{VAR: [a, b]}]}.");
                return Matrix(job, matrix);
            default:
                throw new SourceException(parallel.Location, $"job '{job}': parallel must be a number or a hash with matrix:, not {parallel.KindName}.", null);
        }
    }

    /// <summary>The combinations of one <c>parallel:matrix</c> list, in GitLab's order.</summary>
    public static List<List<KeyValuePair<string, string>>> Combinations(string job, YamlSequence matrix)
    {
        var all = new List<List<KeyValuePair<string, string>>>();
        foreach (var item in ScriptLines.Flatten(matrix, $"job '{job}': parallel:matrix"))
        {
            if (item is not YamlMapping row)
                throw new SourceException(item.Location, $"job '{job}': each parallel:matrix entry must be a hash of VAR: value(s), not {item.KindName}.", null);
            var combos = new List<List<KeyValuePair<string, string>>> { new() };
            foreach (var e in row.Entries)
            {
                var values = e.Value switch
                {
                    YamlScalar s => [s.StringValue],
                    YamlSequence list => list.Items.Select(v => v is YamlScalar vs ? vs.StringValue
                        : throw new SourceException(v.Location, $"job '{job}': matrix values must be strings, not {v.KindName}.", null)).ToList(),
                    _ => throw new SourceException(e.Value.Location, $"job '{job}': matrix variable '{e.Key}' must be a value or a list of values.", null),
                };
                var next = new List<List<KeyValuePair<string, string>>>(combos.Count * values.Count);
                foreach (var combo in combos)
                    foreach (var v in values)
                        next.Add([.. combo, new KeyValuePair<string, string>(e.Key, v)]);
                combos = next;
            }
            all.AddRange(combos);
        }
        return all;
    }

    private static List<ParallelInstance> Matrix(string job, YamlSequence matrix)
    {
        var combos = Combinations(job, matrix);
        if (combos.Count > MaxInstances)
            throw new SourceException(matrix.Location, $"job '{job}': parallel:matrix makes {combos.Count} jobs, more than {MaxInstances}.",
                "Split the matrix over several jobs.");
        int total = combos.Count;
        return combos.Select((c, i) => new ParallelInstance($"{job}: [{string.Join(", ", c.Select(kv => kv.Value))}]", i + 1, total, c)).ToList();
    }
}
