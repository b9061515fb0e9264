namespace Dockyard.Images.Transfer;

/// <summary>A content-addressed place a source reads manifests and blobs from (a registry repository, an OCI layout).</summary>
internal interface IContentStore
{
    /// <summary>The bytes of a manifest or index, verified against the descriptor.</summary>
    Task<byte[]> ReadManifestAsync(Descriptor descriptor, string where, CancellationToken cancellationToken);

    /// <summary>The bytes of a small blob (a config), verified against the descriptor.</summary>
    Task<byte[]> ReadBlobAsync(Descriptor descriptor, string where, CancellationToken cancellationToken);

    /// <summary>The lazy source of a blob; the stream it opens is verified against the descriptor.</summary>
    IBlobSource Blob(Descriptor descriptor, string where);
}
