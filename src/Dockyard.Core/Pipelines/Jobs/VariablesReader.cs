using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// Reads a <c>variables:</c> hash: scalar values (numbers and booleans as text) or <c>{value, description, options, expand}</c>;
/// where GitLab allows no value data (<c>services:variables</c>), only scalars.
/// </summary>
internal static class VariablesReader
{
    private static readonly HashSet<string> HashKeys = ["value", "description", "options", "expand"];

    public static Dictionary<string, PipelineVariable> Read(YamlNode? node, string where, bool global, bool hashValues = true)
    {
        var result = new Dictionary<string, PipelineVariable>(StringComparer.Ordinal);
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return result;
            case YamlMapping map:
                foreach (var e in map.Entries) result[e.Key] = Value(e, where, global, hashValues);
                return result;
            default:
                throw new SourceException(node.Location, $"{where}: variables must be a hash of NAME: value, not {node.KindName}.",
                    "Write variables: {NAME: value}.");
        }
    }

    private static PipelineVariable Value(YamlEntry entry, string where, bool global, bool hashValues)
    {
        switch (entry.Value)
        {
            case YamlScalar s:
                return new PipelineVariable(s.StringValue);
            case YamlMapping map when !hashValues:
                throw new SourceException(map.Location, $"{where}: variable '{entry.Key}' must be a string: these variables take no value:/expand: hash.",
                    $"Write {entry.Key}: value.");
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (!HashKeys.Contains(e.Key))
                        throw new SourceException(e.KeyLocation, $"{where}: variable '{entry.Key}' has unknown keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, HashKeys)}.",
                            "Use value, description, options or expand.");
                if (!global && (map.ContainsKey("description") || map.ContainsKey("options")))
                    throw new SourceException(map.Location, $"{where}: variable '{entry.Key}' uses description/options, which are only allowed in global variables.",
                        "Move the variable to the top-level variables: or drop description/options.");
                var value = map["value"] switch
                {
                    null => "",
                    YamlScalar v => v.StringValue,
                    var other => throw new SourceException(other.Location, $"{where}: variable '{entry.Key}' value must be a string, not {other.KindName}.", null),
                };
                bool expand = map["expand"] is not YamlScalar { AsBoolean: false };
                var description = map["description"] is YamlScalar d ? d.Text : null;
                return new PipelineVariable(value, expand, description);
            default:
                throw new SourceException(entry.Value.Location,
                    $"{where}: variable '{entry.Key}' must be a string or a hash with value:, not {entry.Value.KindName}.",
                    "Quote the value, or write {value: ..., description: ...}.");
        }
    }
}
