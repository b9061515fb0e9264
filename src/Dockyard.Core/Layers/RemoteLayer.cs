using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>A layer blob another place already holds: its digest and size, and where to read it from.</summary>
/// <param name="Digest">sha256 of the blob as stored.</param>
/// <param name="Size">Size of the blob in bytes.</param>
/// <param name="Source">Where the blob is read from (lazily; verified against <paramref name="Digest"/>).</param>
internal sealed record RemoteLayer(Digest Digest, long Size, IBlobSource Source);
