using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>A YAML sequence (list).</summary>
public sealed class YamlSequence : YamlNode
{
    /// <summary>Creates a sequence.</summary>
    public YamlSequence(IReadOnlyList<YamlNode> items, SourceLocation location) : base(location) => Items = items;

    /// <summary>The items in order.</summary>
    public IReadOnlyList<YamlNode> Items { get; }

    /// <inheritdoc />
    public override string KindName => "a list";
}
