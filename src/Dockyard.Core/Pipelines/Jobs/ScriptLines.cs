using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>Reads <c>script</c>, <c>before_script</c> and <c>after_script</c>: a string or nested lists of strings (flattened, up to 10 levels).</summary>
internal static class ScriptLines
{
    private const int MaxNesting = 10;

    public static IReadOnlyList<string> Read(YamlNode? node, string job, string key) => Scalars(node, job, key).Select(s => s.Text).ToList();

    /// <summary>The lines of <see cref="Read"/> as their YAML scalars (with the location each line is written at).</summary>
    public static IReadOnlyList<YamlScalar> Scalars(YamlNode? node, string job, string key)
    {
        if (node is null or YamlScalar { IsNull: true }) return [];
        var lines = new List<YamlScalar>();
        Add(node, lines, 0, job, key);
        return lines;
    }

    /// <summary>Flattens nested lists (from anchors or !reference) into one list of nodes, up to 10 levels.</summary>
    public static List<YamlNode> Flatten(YamlSequence list, string what)
    {
        var items = new List<YamlNode>();
        FlattenInto(list, items, 0, what);
        return items;
    }

    private static void FlattenInto(YamlSequence list, List<YamlNode> items, int depth, string what)
    {
        if (depth > MaxNesting)
            throw new SourceException(list.Location, $"{what} nests lists more than {MaxNesting} levels deep.", "Flatten the lists.");
        foreach (var item in list.Items)
            if (item is YamlSequence inner) FlattenInto(inner, items, depth + 1, what);
            else items.Add(item);
    }

    private static void Add(YamlNode node, List<YamlScalar> lines, int depth, string job, string key)
    {
        switch (node)
        {
            case YamlScalar { IsNull: true } when depth > 0:
                return;
            case YamlScalar scalar:
                lines.Add(scalar);
                return;
            case YamlSequence list when depth < MaxNesting:
                foreach (var item in list.Items) Add(item, lines, depth + 1, job, key);
                return;
            default:
                throw new SourceException(node.Location,
                    $"job '{job}': {key} must be a string or a list of strings nested up to {MaxNesting} levels, not {node.KindName}.",
                    "Quote lines that contain ': ' or start with a special character.");
        }
    }
}
