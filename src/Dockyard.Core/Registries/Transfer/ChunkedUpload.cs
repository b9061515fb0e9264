using System.Net;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries.Auth;
using Dockyard.Registries.References;
using Dockyard.Registries.Transport;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// One chunked upload session: PATCHes chunks with a bare <c>Content-Range</c> at the latest <c>Location</c>, then
/// closes with <c>PUT ?digest=</c>. When a PATCH is refused (416, 404) or fails after its retries (reset, 5xx), it asks the
/// session for its status (<c>GET &lt;location&gt;</c> → 204 + <c>Range</c>) and continues, in the same session, from
/// the offset the registry holds (the source is re-opened and read up to there, so the digest is still verified).
/// A session the registry no longer knows (404) is a <see cref="TransientRegistryException"/>: the caller opens a new one
/// (the reference registry does that itself when a broken PATCH left bytes behind: its signed <c>_state</c> no longer
/// matches, so it cancels the session with 404 BLOB_UPLOAD_INVALID).
/// </summary>
internal sealed class ChunkedUpload(RegistryTransport transport, RegistryClientOptions options, ImageReference repository, Descriptor blob, IBlobSource source)
{
    private readonly string[] _scopes = [TokenScope.PullPush(repository.Repository)];

    /// <summary>Uploads the blob through <paramref name="location"/> in chunks of <paramref name="chunkSize"/> bytes.</summary>
    public async Task RunAsync(Uri location, long chunkSize, CancellationToken cancellationToken)
    {
        var buffer = new byte[chunkSize];
        long offset = 0;
        var resumes = 0;
        var stream = await OpenAtAsync(0, buffer, cancellationToken);
        try
        {
            while (true)
            {
                var n = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
                if (n == 0) break;
                var (next, failure, refused) = await PatchAsync(location, buffer, offset, n, cancellationToken);
                if (failure is null)
                {
                    location = next;
                    offset += n;
                    Report(TransferEventKind.BlobProgress, offset);
                    if (n < buffer.Length) break;
                    continue;
                }
                if (++resumes > options.MaxUploadResumes)
                    throw new DockyardException($"Uploading blob {blob.Digest} to {repository.Name}: gave up after {options.MaxUploadResumes} resumes of the same upload session (last: {failure}). Check the registry ({repository.Registry}) and any proxy in front of it, then push again.");
                (location, offset) = await StatusAsync(location, atLeastOneByte: offset > 0 || refused, cancellationToken);
                Report(TransferEventKind.BlobResumed, offset, $"resume {resumes} of {options.MaxUploadResumes} after {failure}");
                await stream.DisposeAsync();
                stream = await OpenAtAsync(offset, buffer, cancellationToken);
            }
        }
        finally
        {
            await stream.DisposeAsync();
        }
        var close = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Put, Uri = BlobUploader.WithDigest(location, blob.Digest), Scopes = _scopes,
            Content = () => new ByteArrayContent([]), What = $"Completing the upload of blob {blob.Digest} to {repository.Name}",
        };
        using var done = await transport.SendOnceAsync(close, cancellationToken);
        if (done.StatusCode != HttpStatusCode.Created) throw await transport.FailureAsync(close, done, cancellationToken);
    }

    /// <summary>
    /// Sends one chunk (with retries); returns the next location, or why the registry does not have the chunk and
    /// whether it refused the range (416: it holds a different number of bytes).
    /// </summary>
    private async Task<(Uri Location, string? Failure, bool Refused)> PatchAsync(Uri location, byte[] buffer, long start, int length, CancellationToken cancellationToken)
    {
        var end = start + length - 1;
        var patch = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Patch, Uri = location, Scopes = _scopes, TransferBytes = length,
            Content = () =>
            {
                var content = new ByteArrayContent(buffer, 0, length);
                content.Headers.ContentType = new("application/octet-stream");
                // Bare "start-end" (inclusive): the reference registry rejects .NET's typed "bytes a-b/*".
                content.Headers.TryAddWithoutValidation("Content-Range", $"{start}-{end}");
                return content;
            },
            What = $"Uploading bytes {start}-{end} of blob {blob.Digest} to {repository.Name}",
        };
        HttpResponseMessage response;
        try
        {
            response = await transport.SendAsync(patch, cancellationToken);
        }
        catch (DockyardException e) when (RetryPolicy.IsTransient(e.InnerException))
        {
            return (location, e.InnerException!.Message, false);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) return (location, $"HTTP 416 for bytes {start}-{end}", true);
            // A session the registry lost or cancelled: the status GET decides between resuming and a new session.
            if (response.StatusCode == HttpStatusCode.NotFound)
                return (location, $"HTTP 404 for bytes {start}-{end}{RegistryErrorBody.Describe(await response.Content.ReadAsStringAsync(cancellationToken))}", false);
            if (response.StatusCode != HttpStatusCode.Accepted) throw await transport.FailureAsync(patch, response, cancellationToken);
            return (BlobUploader.LocationOf(response, patch), null, false);
        }
    }

    /// <summary>Asks the session how many bytes it holds; keeps the latest <c>Location</c>.</summary>
    private async Task<(Uri Location, long Offset)> StatusAsync(Uri location, bool atLeastOneByte, CancellationToken cancellationToken)
    {
        var status = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Get, Uri = location, Scopes = _scopes,
            What = $"Asking for the status of the upload of blob {blob.Digest} to {repository.Name}",
        };
        using var response = await transport.SendAsync(status, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new TransientRegistryException($"registry {repository.Registry} no longer knows the upload session of blob {blob.Digest} (HTTP 404{RegistryErrorBody.Describe(body)}); starting a new session");
        }
        if (response.StatusCode != HttpStatusCode.NoContent) throw await transport.FailureAsync(status, response, cancellationToken);
        var header = response.Headers.NonValidated.TryGetValues("Range", out var values) ? values.FirstOrDefault() : null;
        var offset = header is null ? 0 : UploadedRange.Parse(header)?.NextOffset(atLeastOneByte)
            ?? throw new DockyardException($"{status.What}: registry {repository.Registry} answered an unreadable Range header '{header}' (expected 0-N or bytes=0-N).");
        if (offset > blob.Size)
            throw new DockyardException($"{status.What}: registry {repository.Registry} reports {offset} bytes received, more than the blob's {blob.Size}; push again.");
        var next = response.Headers.Location is { } moved ? new Uri(response.RequestMessage!.RequestUri!, moved) : location;
        return (next, offset);
    }

    /// <summary>Opens the source again and reads (and hashes) up to <paramref name="offset"/>.</summary>
    private async Task<DigestVerifyingStream> OpenAtAsync(long offset, byte[] buffer, CancellationToken cancellationToken)
    {
        var stream = new DigestVerifyingStream(await source.OpenAsync(cancellationToken), blob, repository.Name, options.RequestTimeout);
        for (var skipped = 0L; skipped < offset;)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, offset - skipped)), cancellationToken);
            if (n == 0)
            {
                await stream.DisposeAsync();
                throw new DockyardException($"Uploading blob {blob.Digest} to {repository.Name}: the source ended at {skipped} bytes, before the {offset} the registry holds.");
            }
            skipped += n;
        }
        return stream;
    }

    private void Report(TransferEventKind kind, long bytes, string? message = null) =>
        options.Progress?.Report(new TransferProgress(kind, repository.Name, blob.Digest, bytes, blob.Size, message));
}
