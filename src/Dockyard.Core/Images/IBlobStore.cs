namespace Dockyard.Images;

/// <summary>Somewhere blobs can be read from: the layer cache, an OCI layout, a registry.</summary>
public interface IBlobStore
{
    /// <summary>Opens the blob a descriptor names, as stored (compressed for layers).</summary>
    Stream OpenBlob(Descriptor descriptor);
}
