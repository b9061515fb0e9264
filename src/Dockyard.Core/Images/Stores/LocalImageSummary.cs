namespace Dockyard.Images.Stores;

/// <summary>What <c>image ls</c> shows of one name of the <see cref="LocalImageStore"/>.</summary>
/// <param name="Entry">The named image.</param>
/// <param name="Repository">The repository as docker shows it (<c>busybox</c>, <c>127.0.0.1:5000/team/app</c>).</param>
/// <param name="Tag">The tag.</param>
/// <param name="ImageId">The image ID: the config digest (for an index, that of this machine's platform, else the first).</param>
/// <param name="Size">The bytes of every blob the name keeps in the store (manifests, configs, compressed layers).</param>
public sealed record LocalImageSummary(LocalImageEntry Entry, string Repository, string Tag, Digest ImageId, long Size);
