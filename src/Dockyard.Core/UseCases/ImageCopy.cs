using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Locations;
using Dockyard.Images.Stores;
using Dockyard.Images.Transfer;

namespace Dockyard.UseCases;

/// <summary>What to copy, where to (<c>dockyard image copy SRC DST</c>, <c>dockyard image push REF</c>).</summary>
public sealed record ImageCopyRequest
{
    /// <summary>The source location (any kind <see cref="ImageLocation.Parse"/> accepts).</summary>
    public required string Source { get; init; }

    /// <summary>The destination location.</summary>
    public required string Destination { get; init; }

    /// <summary>More tags to write at the destination besides its own.</summary>
    public IReadOnlyList<string> AdditionalTags { get; init; } = [];

    /// <summary>Copy an index with every platform (its digest kept); otherwise one platform.</summary>
    public bool AllPlatforms { get; init; }

    /// <summary>The platform copied from an index (<c>os/arch[/variant]</c>); default: this machine's.</summary>
    public string? Platform { get; init; }

    /// <summary>How to reach registries.</summary>
    public RegistryConnection Connection { get; init; } = new();

    /// <summary>The root of the local image store <c>local:</c> locations use (default: <c>images</c> under the host's cache directory).</summary>
    public string? LocalStoreDirectory { get; init; }
}

/// <summary>What a copy did (printed by <c>dockyard image copy --json</c>).</summary>
/// <param name="Source">The source, as given.</param>
/// <param name="Destination">The destination, as given.</param>
/// <param name="Digest">The digest of the manifest or index written.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Tags">The tags written.</param>
/// <param name="Images">Each image copied: manifest digest, platform, size.</param>
/// <param name="Manifests">Manifests and indexes written.</param>
/// <param name="BlobsUploaded">Blobs whose bytes were uploaded or written.</param>
/// <param name="BlobsMounted">Blobs mounted from the source repository.</param>
/// <param name="BlobsExisting">Blobs the destination already had.</param>
/// <param name="BytesUploaded">Bytes uploaded or written.</param>
public sealed record ImageCopyResult(
    string Source, string Destination, string Digest, string MediaType, IReadOnlyList<string> Tags, IReadOnlyList<CopiedImage> Images,
    int Manifests, int BlobsUploaded, int BlobsMounted, int BlobsExisting, long BytesUploaded)
{
    /// <summary>Where the source was really read from when containers-registries.conf sent the pull elsewhere, else <c>null</c>.</summary>
    public string? PulledFrom { get; init; }
}

/// <summary>One image of a copy.</summary>
/// <param name="Digest">Manifest digest.</param>
/// <param name="Platform">Its platform (<c>os/arch[/variant]</c>).</param>
/// <param name="Size">Manifest, config and layer bytes (layers as stored).</param>
public sealed record CopiedImage(string Digest, string Platform, long Size);

/// <summary>Copies an image or index from any source to any sink.</summary>
public static class ImageCopy
{
    /// <summary>Reads <see cref="ImageCopyRequest.Source"/> and writes it to <see cref="ImageCopyRequest.Destination"/>.</summary>
    /// <exception cref="DockyardException">A location is invalid, the source cannot be read or the destination refused the write.</exception>
    public static async Task<ImageCopyResult> RunAsync(HostContext host, ImageCopyRequest request, CancellationToken cancellationToken)
    {
        var source = ImageLocation.Parse(request.Source, "the source");
        var destination = ImageLocation.Parse(request.Destination, "the destination");
        var options = new ImageReadOptions { AllPlatforms = request.AllPlatforms, Platform = PlatformOf(request.Platform) };
        await using var services = Services(host, request.Connection, destination, request.LocalStoreDirectory);
        host.Progress?.Report(new ProgressEvent(ProgressKind.Step, destination.Text, Message: $"copying {source} to {destination}"));
        var reader = source.OpenSource(services);
        var content = await reader.ReadAsync(options, cancellationToken);
        if (destination.Reference?.Digest is { } pinned && pinned != content.Digest)
            throw new DockyardException($"Cannot copy {source} to {destination}: the source resolves to {content.Digest}, not the digest the destination names.");
        var written = await destination.OpenSink(services, request.AdditionalTags).WriteAsync(content, cancellationToken);
        return Result(request.Source, request.Destination, content, written)
            with { PulledFrom = reader is Registries.Transfer.RegistryImageSource { Origin: { Rule: not null } origin } ? origin.ToString() : null };
    }

    /// <summary>What reading and writing images needs: registries (credentials asked for the destination's), the local store.</summary>
    internal static ImageServices Services(HostContext host, RegistryConnection connection, ImageLocation destination, string? localStoreDirectory) =>
        new(host, connection, destination.Reference?.Registry)
        {
            LocalStore = localStoreDirectory is { } store ? new LocalImageStore(host.FullPath(store)) : LocalImageStore.ForHost(host),
        };

    /// <summary>The result of writing <paramref name="content"/>.</summary>
    internal static ImageCopyResult Result(string source, string destination, ImageContent content, ImageWriteResult written) => new(
        source, destination, written.Digest.ToString(), content.MediaType, written.Tags,
        content.Images.Select(i => new CopiedImage(i.Digest.ToString(), i.Platform.ToString(), i.ManifestBytes.Length + i.ConfigBytes.Length + i.Layers.Sum(l => l.Descriptor.Size))).ToList(),
        written.Manifests, written.BlobsWritten, written.BlobsMounted, written.BlobsExisting, written.BytesWritten);

    internal static Platform? PlatformOf(string? text)
    {
        if (text is null) return null;
        try
        {
            return Images.Platform.Parse(text);
        }
        catch (FormatException e)
        {
            throw new DockyardException($"--platform {text}: {e.Message}", e);
        }
    }
}
