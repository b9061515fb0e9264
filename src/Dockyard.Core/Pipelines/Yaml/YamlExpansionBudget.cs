using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>
/// Measures a parsed document as if every alias were copied (which is what every later step sees) and stops at
/// <see cref="YamlLimits.MaxExpandedBytes"/> or <see cref="YamlLimits.MaxDepth"/>: the walk itself is bounded by the
/// budget, so an alias bomb costs at most the budget.
/// </summary>
internal sealed class YamlExpansionBudget
{
    private readonly string _path;
    private long _used;

    private YamlExpansionBudget(string path) => _path = path;

    /// <summary>Throws a <see cref="SourceException"/> when <paramref name="document"/> expands past the limits.</summary>
    public static void Check(YamlNode document, string displayPath) => new YamlExpansionBudget(displayPath).Walk(document, 0);

    private void Walk(YamlNode node, int depth)
    {
        _used += YamlLimits.NodeOverhead + (node is YamlScalar s ? s.Text.Length : 0);
        if (_used > YamlLimits.MaxExpandedBytes)
            throw new SourceException(node.Location,
                $"with its aliases expanded the YAML is over {YamlLimits.MaxExpandedBytes / (1024 * 1024)} MiB (GitLab: 'The parsed YAML is too big').",
                "Use fewer nested aliases (&anchor/*alias); an alias of an alias multiplies the size.");
        if (depth > YamlLimits.MaxDepth)
            throw new SourceException(node.Location, $"with its aliases expanded the YAML nests deeper than {YamlLimits.MaxDepth} levels (GitLab: 'The parsed YAML is too big').",
                "Flatten the structure or use fewer nested aliases.");
        switch (node)
        {
            case YamlMapping map:
                foreach (var e in map.Entries) Walk(e.Value, depth + 1);
                break;
            case YamlSequence list:
                foreach (var item in list.Items) Walk(item, depth + 1);
                break;
        }
    }
}
