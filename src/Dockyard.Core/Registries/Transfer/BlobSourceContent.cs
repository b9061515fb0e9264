using System.Net;
using System.Net.Http.Headers;
using Dockyard.Images;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// An upload body that opens its <see cref="IBlobSource"/> when sent (so a re-sent request starts from the first
/// byte), verifies the digest on the way and reports progress.
/// </summary>
internal sealed class BlobSourceContent : HttpContent
{
    private readonly IBlobSource _source;
    private readonly Descriptor _blob;
    private readonly string _where;
    private readonly TimeSpan _idleTimeout;
    private readonly Action<long>? _progress;

    public BlobSourceContent(IBlobSource source, Descriptor blob, string where, TimeSpan idleTimeout, Action<long>? progress)
    {
        _source = source;
        _blob = blob;
        _where = where;
        _idleTimeout = idleTimeout;
        _progress = progress;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = blob.Size;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var opened = await _source.OpenAsync(cancellationToken);
        // A blob streamed from another registry is verified once, by the stream it comes in (same digest and size).
        await using var verifying = opened is DigestVerifyingStream { Length: var size, ExpectedDigest: var digest } already && size == _blob.Size && digest == _blob.Digest
            ? already
            : new DigestVerifyingStream(opened, _blob, _where, _idleTimeout);
        verifying.Progress = _progress;
        await verifying.CopyToAsync(stream, 1 << 16, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _blob.Size;
        return true;
    }
}
