using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>A node of a parsed GitLab CI YAML file; every node knows where it was written.</summary>
public abstract class YamlNode
{
    /// <summary>Creates a node at <paramref name="location"/>.</summary>
    protected YamlNode(SourceLocation location) => Location = location;

    /// <summary>Where the node starts in its file.</summary>
    public SourceLocation Location { get; }

    /// <summary>A short word for error messages: "a string", "a list", "a hash", "a !reference".</summary>
    public abstract string KindName { get; }
}
