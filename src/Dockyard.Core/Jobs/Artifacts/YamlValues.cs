using Dockyard.Pipelines.Yaml;

namespace Dockyard.Jobs.Artifacts;

/// <summary>Reads plain values out of resolved job keywords (strings, string lists, booleans, integers).</summary>
public static class YamlValues
{
    /// <summary>A scalar's string value, or null.</summary>
    public static string? String(YamlNode? node) => node is YamlScalar { IsNull: false } s ? s.StringValue : null;

    /// <summary>A string or a list of strings (nested lists flattened); empty for null.</summary>
    public static IReadOnlyList<string> Strings(YamlNode? node) => node switch
    {
        YamlScalar { IsNull: false } s => [s.StringValue],
        YamlSequence list => list.Items.SelectMany(Strings).ToList(),
        _ => [],
    };

    /// <summary>A boolean scalar, or null.</summary>
    public static bool? Boolean(YamlNode? node) => node is YamlScalar s ? s.AsBoolean : null;

    /// <summary>An integer or a list of integers; empty for null.</summary>
    public static IReadOnlyList<int> Integers(YamlNode? node) => node switch
    {
        YamlScalar { AsInteger: { } i } => [(int)i],
        YamlSequence list => list.Items.SelectMany(Integers).ToList(),
        _ => [],
    };
}
