namespace Dockyard.Layers;

/// <summary>How a layer blob is compressed.</summary>
public enum LayerCompression
{
    /// <summary>gzip at a fixed level (6); gzip header without file name, mtime 0, OS 255: the default, readable everywhere.</summary>
    Gzip,
    /// <summary>zstd level 3 (OCI <c>tar+zstd</c> only; Docker media types have no zstd layer).</summary>
    Zstd,
    /// <summary>Plain tar (OCI <c>tar</c>; digest equals diff_id).</summary>
    None,
}
