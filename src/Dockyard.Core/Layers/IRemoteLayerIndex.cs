using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>
/// Layers kept somewhere else than this machine (a registry cache), looked up by diff_id before a layer is
/// compressed, and told about every layer a build used so they can be kept there too.
/// </summary>
internal interface IRemoteLayerIndex
{
    /// <summary>Whether any layer is known (when none is, a miss is not hashed first: there is nothing to find).</summary>
    bool IsEmpty { get; }

    /// <summary>The remote layer with this diff_id and compression (its blob read lazily), or null.</summary>
    RemoteLayer? Find(Digest diffId, LayerCompression compression);

    /// <summary>Records a layer the build used (built here, reused or found remotely).</summary>
    void Used(Layer layer);
}
