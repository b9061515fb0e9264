using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// A blob pulled from <paramref name="Repository"/> and read from a local copy (the layer cache): a push to the same
/// registry mounts it from there instead of uploading it again.
/// </summary>
/// <param name="Local">The local copy.</param>
/// <param name="Repository">The repository it was pulled from.</param>
internal sealed record CachedRegistryBlobSource(IBlobSource Local, ImageReference Repository) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Local.OpenAsync(cancellationToken);
}
