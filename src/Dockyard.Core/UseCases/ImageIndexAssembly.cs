using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Locations;
using Dockyard.Images.Transfer;

namespace Dockyard.UseCases;

/// <summary>Images to combine into one index, and where it goes (<c>docker manifest create/push</c>, <c>buildx imagetools create</c>).</summary>
public sealed record ImageIndexRequest
{
    /// <summary>The images (any location <see cref="ImageLocation.Parse"/> accepts); an index contributes each of its images.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Where the index is written.</summary>
    public required string Destination { get; init; }

    /// <summary>More tags to write at the destination besides its own.</summary>
    public IReadOnlyList<string> AdditionalTags { get; init; } = [];

    /// <summary>How to reach registries.</summary>
    public RegistryConnection Connection { get; init; } = new();

    /// <summary>The root of the local image store <c>local:</c> locations use.</summary>
    public string? LocalStoreDirectory { get; init; }
}

/// <summary>Makes one index of several images (one per platform) and writes it with every image it lists.</summary>
public static class ImageIndexAssembly
{
    /// <summary>Reads every source and writes the index of their images to the destination.</summary>
    /// <exception cref="DockyardException">A source cannot be read, or two sources give different images for one platform.</exception>
    public static async Task<ImageCopyResult> RunAsync(HostContext host, ImageIndexRequest request, CancellationToken cancellationToken)
    {
        if (request.Sources.Count == 0) throw new DockyardException("An index needs at least one image; name the images to combine.");
        var destination = ImageLocation.Parse(request.Destination, "the destination");
        await using var services = ImageCopy.Services(host, request.Connection, destination, request.LocalStoreDirectory);
        var images = new List<(Image Image, string Source)>();
        foreach (var text in request.Sources)
        {
            var content = await ImageLocation.Parse(text, "a source").OpenSource(services).ReadAsync(new ImageReadOptions { AllPlatforms = true }, cancellationToken);
            foreach (var image in content.Images)
            {
                var same = images.FirstOrDefault(i => i.Image.Platform == image.Platform);
                if (same.Image is null) images.Add((image, text));
                else if (same.Image.Digest != image.Digest)
                    throw new DockyardException($"{same.Source} and {text} both have an image for {image.Platform} ({same.Image.Digest}, {image.Digest}); an index holds one image per platform. Leave one of them out.");
            }
        }
        // One media-type family: with a mix, Docker-format images are written as OCI (their digests change; said by the result's images).
        var mixed = images.Select(i => i.Image.Format).Distinct().Count() > 1;
        var index = MultiPlatformImage.Create(images.Select(i => mixed && i.Image.Format == ImageFormat.Docker ? i.Image.ToOci() : i.Image).ToList());
        var written = await destination.OpenSink(services, request.AdditionalTags).WriteAsync(index, cancellationToken);
        return ImageCopy.Result(string.Join(", ", request.Sources), request.Destination, index, written);
    }
}
