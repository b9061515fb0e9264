using Dockyard.Images;
using Dockyard.Images.Transfer;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// An image in a registry repository (<c>REGISTRY/REPO[:TAG|@DIGEST]</c>): manifests and configs are fetched and
/// verified when read, layers are lazy (<see cref="RegistryBlobSource"/>: fetched and verified when opened, mounted by
/// a registry sink on the same registry).
/// </summary>
public sealed class RegistryImageSource(RegistryClient client, ImageReference reference) : IImageSource
{
    /// <inheritdoc />
    public string Name => reference.ToString();

    /// <inheritdoc />
    public async Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken)
    {
        // containers-registries.conf may send the read to a mirror or another location; everything else of the image
        // (child manifests, configs, layers) comes from the same place.
        var pulled = await client.GetPullManifestAsync(reference, cancellationToken);
        Origin = pulled.Origin;
        return await ContentReader.ReadAsync(new Store(client, pulled.Origin.Source), pulled.Manifest.Bytes, pulled.Manifest.MediaType, Name, options, cancellationToken);
    }

    /// <summary>Where the last read really went (registries.conf remaps and mirrors); <c>null</c> before a read.</summary>
    public Mirrors.PullOrigin? Origin { get; private set; }

    private sealed class Store(RegistryClient client, ImageReference repository) : IContentStore
    {
        public async Task<byte[]> ReadManifestAsync(Descriptor descriptor, string where, CancellationToken cancellationToken) =>
            (await client.GetManifestAsync(repository.WithDigest(descriptor.Validate(where)), cancellationToken)).Bytes;

        public Task<byte[]> ReadBlobAsync(Descriptor descriptor, string where, CancellationToken cancellationToken)
        {
            descriptor.Validate(where);
            return client.GetBlobBytesAsync(repository, descriptor, cancellationToken);
        }

        public IBlobSource Blob(Descriptor descriptor, string where)
        {
            descriptor.Validate(where);
            return new RegistryBlobSource(client, repository, descriptor);
        }
    }
}
