namespace Dockyard.Builders;

/// <summary>Where a container backend leaves the image it built.</summary>
public enum BackendOutput
{
    /// <summary>Only in the tool's own image store (the daemon's images, buildah's storage), tagged.</summary>
    LocalImage,
    /// <summary>Pushed to the registry of every tag (and kept in the tool's store).</summary>
    Registry,
}
