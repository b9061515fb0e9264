using System.Net;
using Dockyard.Images;
using Dockyard.Registries.Auth;
using Dockyard.Registries.References;
using Dockyard.Registries.Transport;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// Pushes one blob: HEAD (exists?) → cross-repository mount when a source repository is known (falling back to an
/// upload on 202, 401 or 403) → POST then monolithic PUT, or chunked PATCHes with a bare <c>Content-Range</c>,
/// always continuing at the latest <c>Location</c> (a failed chunk resumes in the same session, see <see cref="ChunkedUpload"/>).
/// The whole upload is retried in a new session on other transient failures.
/// </summary>
internal sealed class BlobUploader(RegistryTransport transport, RetryPolicy retry, RegistryClientOptions options)
{
    /// <summary>Whether <paramref name="repository"/> has the blob.</summary>
    public async Task<bool> ExistsAsync(ImageReference repository, string digest, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var request = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Head, Path = $"v2/{repository.Repository}/blobs/{digest}",
            Scopes = scopes, What = $"Checking blob {digest} in {repository.Name}",
        };
        using var response = await transport.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK) return true;
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        throw await transport.FailureAsync(request, response, cancellationToken);
    }

    /// <summary>Makes sure <paramref name="repository"/> has the blob, mounting it from <paramref name="mountFrom"/> (a repository of the same registry) when given.</summary>
    public async Task<BlobPushOutcome> PushAsync(ImageReference repository, Descriptor blob, IBlobSource source, string? mountFrom, CancellationToken cancellationToken)
    {
        var target = repository.Name;
        var pushScopes = new[] { TokenScope.PullPush(repository.Repository) };
        if (await ExistsAsync(repository, blob.Digest, pushScopes, cancellationToken))
        {
            Report(TransferEventKind.BlobExists, target, blob, blob.Size);
            return BlobPushOutcome.Existed;
        }
        return await retry.ExecuteAsync($"Uploading blob {blob.Digest} to {target}", async ct =>
        {
            Report(TransferEventKind.BlobStarted, target, blob, 0);
            Uri? location = null;
            long? minimumChunk = null;
            if (mountFrom is not null && mountFrom != repository.Repository)
            {
                var mount = new RegistryRequest
                {
                    Registry = repository.Registry, Method = HttpMethod.Post,
                    Path = $"v2/{repository.Repository}/blobs/uploads/?mount={Uri.EscapeDataString(blob.Digest)}&from={Uri.EscapeDataString(mountFrom)}",
                    Scopes = [TokenScope.PullPush(repository.Repository), TokenScope.Pull(mountFrom)],
                    What = $"Mounting blob {blob.Digest} from {repository.Registry}/{mountFrom} into {target}",
                };
                using var response = await transport.SendOnceAsync(mount, ct);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Report(TransferEventKind.BlobMounted, target, blob, blob.Size, $"from {mountFrom}");
                    return BlobPushOutcome.Mounted;
                }
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    location = LocationOf(response, mount);
                    minimumChunk = ChunkMinimumOf(response);
                }
                else if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                    throw await transport.FailureAsync(mount, response, ct);
            }
            if (location is null)
            {
                var start = new RegistryRequest
                {
                    Registry = repository.Registry, Method = HttpMethod.Post, Path = $"v2/{repository.Repository}/blobs/uploads/",
                    Scopes = pushScopes, Content = () => new ByteArrayContent([]), What = $"Starting the upload of blob {blob.Digest} to {target}",
                };
                using var response = await transport.SendOnceAsync(start, ct);
                if (response.StatusCode != HttpStatusCode.Accepted) throw await transport.FailureAsync(start, response, ct);
                location = LocationOf(response, start);
                minimumChunk = ChunkMinimumOf(response);
            }
            var chunk = options.ChunkSizeFor(blob.Size, minimumChunk);
            if (chunk is null) await PutWholeAsync(repository, blob, source, location, ct);
            else await new ChunkedUpload(transport, options, repository, blob, source).RunAsync(location, chunk.Value, ct);
            Report(TransferEventKind.BlobCompleted, target, blob, blob.Size);
            return BlobPushOutcome.Uploaded;
        }, cancellationToken);
    }

    private async Task PutWholeAsync(ImageReference repository, Descriptor blob, IBlobSource source, Uri location, CancellationToken cancellationToken)
    {
        var put = new RegistryRequest
        {
            Registry = repository.Registry, Method = HttpMethod.Put, Uri = WithDigest(location, blob.Digest),
            Scopes = [TokenScope.PullPush(repository.Repository)], TransferBytes = blob.Size,
            Content = () => new BlobSourceContent(source, blob, repository.Name, options.RequestTimeout,
                n => Report(TransferEventKind.BlobProgress, repository.Name, blob, n)),
            What = $"Uploading blob {blob.Digest} to {repository.Name}",
        };
        using var response = await transport.SendOnceAsync(put, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created) throw await transport.FailureAsync(put, response, cancellationToken);
    }

    /// <summary>The <c>Location</c> of <paramref name="response"/>, resolved against the request URL.</summary>
    internal static Uri LocationOf(HttpResponseMessage response, RegistryRequest request)
    {
        var location = response.Headers.Location
            ?? throw new Diagnostics.DockyardException($"{request.What}: registry {request.Registry} answered {(int)response.StatusCode} without a Location header.");
        return new Uri(response.RequestMessage!.RequestUri!, location);
    }

    private static long? ChunkMinimumOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("OCI-Chunk-Min-Length", out var values) && long.TryParse(values.FirstOrDefault(), out var min) ? min : null;

    /// <summary>The upload URL with <c>digest=</c> appended (with <c>&amp;</c> when it already has a query).</summary>
    internal static Uri WithDigest(Uri location, string digest) =>
        new(location.AbsoluteUri + (string.IsNullOrEmpty(location.Query) ? "?" : "&") + "digest=" + Uri.EscapeDataString(digest));

    private void Report(TransferEventKind kind, string target, Descriptor blob, long bytes, string? message = null) =>
        options.Progress?.Report(new TransferProgress(kind, target, blob.Digest, bytes, blob.Size, message));
}
