namespace Dockyard.Pipelines.Yaml;

/// <summary>
/// GitLab's limits for a CI YAML file (<c>max_yaml_size_bytes</c>, <c>max_yaml_depth</c>), applied while reading so that
/// neither a huge file, a deep nesting nor an alias bomb ("billion laughs") can exhaust memory, time or the stack.
/// </summary>
internal static class YamlLimits
{
    /// <summary>The largest file read (GitLab's default <c>max_yaml_size_bytes</c>: 1 MiB).</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The deepest nesting of lists and hashes, aliases expanded (GitLab's default <c>max_yaml_depth</c>).</summary>
    public const int MaxDepth = 100;

    /// <summary>
    /// The largest size of a document with every alias expanded: scalar characters plus 16 per node (GitLab measures
    /// the parsed, expanded object the same way against <c>max_yaml_size_bytes</c>; this is 10 times more lenient).
    /// </summary>
    public const long MaxExpandedBytes = 10L * 1024 * 1024;

    /// <summary>The per-node overhead counted in <see cref="MaxExpandedBytes"/>.</summary>
    public const int NodeOverhead = 16;
}
