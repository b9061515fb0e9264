using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>A <c>!reference [job, key, ...]</c> tag, resolved after includes and <c>extends</c>.</summary>
public sealed class YamlReference : YamlNode
{
    /// <summary>Creates a reference to <paramref name="path"/>.</summary>
    public YamlReference(IReadOnlyList<string> path, SourceLocation location) : base(location) => Path = path;

    /// <summary>The top-level key followed by the nested keys.</summary>
    public IReadOnlyList<string> Path { get; }

    /// <inheritdoc />
    public override string KindName => "a !reference";

    /// <inheritdoc />
    public override string ToString() => "!reference [" + string.Join(", ", Path) + "]";
}
