namespace Dockyard.Images.Stores;

/// <summary>What <see cref="LocalImageStore.Remove"/> did.</summary>
/// <param name="Untagged">The names removed.</param>
/// <param name="DeletedImages">The image IDs no name refers to any more.</param>
/// <param name="BlobsCollected">How many blobs were deleted.</param>
/// <param name="BytesCollected">How many bytes they held.</param>
public sealed record LocalImageRemoval(IReadOnlyList<string> Untagged, IReadOnlyList<Digest> DeletedImages, int BlobsCollected, long BytesCollected);
