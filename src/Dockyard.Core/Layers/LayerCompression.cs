namespace Dockyard.Layers;

/// <summary>How a layer blob is compressed.</summary>
public enum LayerCompression
{
    /// <summary>
    /// gzip at a fixed level (6), one member compressed in 1 MiB blocks on every core (same bytes whatever the core
    /// count); header without file name, mtime 0, OS 255: the default, readable everywhere.
    /// </summary>
    Gzip,
    /// <summary>zstd level 3 with zstd's workers on every core (same bytes whatever the core count); OCI <c>tar+zstd</c> only, Docker media types have no zstd layer.</summary>
    Zstd,
    /// <summary>Plain tar (OCI <c>tar</c>; digest equals diff_id).</summary>
    None,
}
