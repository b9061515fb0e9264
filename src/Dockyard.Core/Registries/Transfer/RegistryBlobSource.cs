using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transfer;

/// <summary>A blob streamed from another repository (any registry), verified on the way.</summary>
/// <param name="Client">The client that reads the source.</param>
/// <param name="Repository">The source repository.</param>
/// <param name="Blob">The blob.</param>
public sealed record RegistryBlobSource(RegistryClient Client, ImageReference Repository, Descriptor Blob) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Client.OpenBlobAsync(Repository, Blob, null, cancellationToken);
}
