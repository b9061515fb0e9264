using Dockyard.Diagnostics;

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

/// <summary>One place that writes a built image or index to any on-disk output kind.</summary>
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

    /// <summary>Writes one image to <paramref name="destination"/> under <paramref name="tags"/>.</summary>
    public static void Write(ImageOutputKind kind, string destination, BuiltImage image, IReadOnlyList<string> tags)
    {
        switch (kind)
        {
            case ImageOutputKind.Oci: OciLayoutWriter.Write(destination, image, tags); break;
            case ImageOutputKind.OciArchive: OciArchiveWriter.Write(destination, image, tags); break;
            default: DockerArchiveWriter.Write(destination, image, tags); break;
        }
    }

    /// <summary>Writes a multi-platform index to <paramref name="destination"/> under <paramref name="tags"/>.</summary>
    public static void Write(ImageOutputKind kind, string destination, BuiltIndex index, IReadOnlyList<string> tags)
    {
        switch (kind)
        {
            case ImageOutputKind.Oci: OciLayoutWriter.Write(destination, index, tags); break;
            case ImageOutputKind.OciArchive: OciArchiveWriter.Write(destination, index, tags); break;
            default: DockerArchiveWriter.Write(destination, index, tags); break;
        }
    }
}
