using Dockyard.Diagnostics;
using Dockyard.Registries.Transfer;

namespace Dockyard.Images;

/// <summary>
/// A blob in a file written by someone else (an OCI layout, an unpacked archive, the local store): the stream it
/// opens throws at its end when the bytes do not match the descriptor's digest and size, so a swapped or damaged
/// blob never ends up in an image.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="Descriptor">What the bytes must be.</param>
/// <param name="Where">The place, for messages (e.g. <c>oci:/tmp/app:1</c>).</param>
public sealed record VerifiedFileBlobSource(string Path, Descriptor Descriptor, string Where) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
            throw new DockyardException($"{Where}: blob {Descriptor.Digest} is missing ({Path}); copy or export the image again.");
        var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult<Stream>(new DigestVerifyingStream(file, Descriptor, Where, Timeout.InfiniteTimeSpan, damaged: "the file is damaged or was replaced; copy or export the image again"));
    }
}
