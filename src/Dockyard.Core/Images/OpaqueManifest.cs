namespace Dockyard.Images;

/// <summary>
/// An index entry that is not a runnable image (an attestation or signature manifest, an artifact): kept byte-exact
/// with the blobs it references, so copying every platform keeps the index digest.
/// </summary>
/// <param name="Entry">The index entry (with its platform and annotations).</param>
/// <param name="Bytes">The manifest bytes.</param>
/// <param name="Blobs">The blobs the manifest references (config and layers), each with its source.</param>
public sealed record OpaqueManifest(Descriptor Entry, byte[] Bytes, IReadOnlyList<BlobReference> Blobs);

/// <summary>A blob descriptor with the source of its bytes.</summary>
/// <param name="Descriptor">The blob.</param>
/// <param name="Source">Where its bytes are read from.</param>
public sealed record BlobReference(Descriptor Descriptor, IBlobSource Source);
