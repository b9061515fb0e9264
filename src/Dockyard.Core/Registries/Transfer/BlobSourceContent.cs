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
        await using var verifying = new DigestVerifyingStream(await _source.OpenAsync(cancellationToken), _blob, _where, _idleTimeout, _progress);
        await verifying.CopyToAsync(stream, 1 << 16, cancellationToken);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _blob.Size;
        return true;
    }
}
