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
    public static IImageSink Sink(ImageOutputKind kind, string destination, IReadOnlyList<string> tags) => Sink(kind, destination, tags, null);

    /// <summary>The sink writing <paramref name="destination"/>; <c>-</c> for an archive means <paramref name="standardOutput"/>.</summary>
    internal static IImageSink Sink(ImageOutputKind kind, string destination, IReadOnlyList<string> tags, Func<Stream>? standardOutput) => kind switch
    {
        ImageOutputKind.Oci => new OciLayoutSink(destination, tags),
        ImageOutputKind.OciArchive => new OciArchiveSink(destination, tags) { StandardOutput = standardOutput },
        _ => new DockerArchiveSink(destination, tags) { StandardOutput = standardOutput },
    };

    /// <summary>
    /// Refuses a destination the sink would refuse, before anything is built: a link, directory, block device or socket
    /// for an archive (<see cref="ArchiveDestination"/>), a file or a damaged <c>index.json</c> for a layout.
    /// </summary>
    /// <exception cref="DockyardException">The destination cannot take the output.</exception>
    internal static void Check(ImageOutputKind kind, string destination, Func<Stream>? standardOutput)
    {
        var where = $"{(kind == ImageOutputKind.Oci ? "oci" : kind == ImageOutputKind.OciArchive ? "oci-archive" : "docker-archive")}:{destination}";
        if (kind == ImageOutputKind.Oci && destination == ArchiveDestination.StandardOutputName)
            throw new DockyardException($"{where}: an OCI layout is a directory and cannot go to standard output; write type=oci-archive,dest=- for a tar of it.") { Setting = Setting.Output };
        if (kind == ImageOutputKind.Oci) OciLayoutSink.ExistingEntries(destination, where);
        else ArchiveDestination.Resolve(destination, where, standardOutput);
    }

    /// <summary>Writes an image or index to <paramref name="destination"/> under <paramref name="tags"/>.</summary>
    public static Task<ImageWriteResult> WriteAsync(ImageOutputKind kind, string destination, ImageContent content, IReadOnlyList<string> tags, CancellationToken cancellationToken = default) =>
        Sink(kind, destination, tags).WriteAsync(content, cancellationToken);
}
