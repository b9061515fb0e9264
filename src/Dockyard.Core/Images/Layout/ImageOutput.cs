using Dockyard.Diagnostics;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Transfer;

namespace Dockyard.Images.Layout;

/// <summary>The on-disk output kinds (<c>--output type=oci|oci-archive|docker-archive,dest=…</c>).</summary>
public enum ImageOutputKind
{
    /// <summary>An OCI image layout directory.</summary>
    Oci,
    /// <summary>A tar of an OCI image layout.</summary>
    OciArchive,
    /// <summary>A <c>docker load</c> archive.</summary>
    DockerArchive,
}

/// <summary>The sink of each on-disk output kind, for a build's <c>--output</c>.</summary>
public static class ImageOutput
{
    /// <summary>Parses the <c>type=</c> value of <c>--output</c> for the on-disk kinds.</summary>
    /// <exception cref="DockyardException">The type is not one of <c>oci</c>, <c>oci-archive</c>, <c>docker-archive</c>.</exception>
    public static ImageOutputKind ParseKind(string type) => type switch
    {
        "oci" => ImageOutputKind.Oci,
        "oci-archive" => ImageOutputKind.OciArchive,
        "docker-archive" => ImageOutputKind.DockerArchive,
        _ => throw new DockyardException($"--output type={type} is not an on-disk output; use oci, oci-archive or docker-archive."),
    };

    /// <summary>The sink writing <paramref name="destination"/> under <paramref name="tags"/>.</summary>
    public static IImageSink Sink(ImageOutputKind kind, string destination, IReadOnlyList<string> tags) => kind switch
    {
        ImageOutputKind.Oci => new OciLayoutSink(destination, tags),
        ImageOutputKind.OciArchive => new OciArchiveSink(destination, tags),
        _ => new DockerArchiveSink(destination, tags),
    };

    /// <summary>Writes an image or index to <paramref name="destination"/> under <paramref name="tags"/>.</summary>
    public static Task<ImageWriteResult> WriteAsync(ImageOutputKind kind, string destination, ImageContent content, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        Sink(kind, destination, tags).WriteAsync(content, cancellationToken);
}
