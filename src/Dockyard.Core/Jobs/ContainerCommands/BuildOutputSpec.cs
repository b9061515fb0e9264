using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// One <c>docker buildx build -o/--output</c> value: <c>type=registry</c> (or <c>image,push=true</c>) pushes the tags,
/// <c>type=docker,dest=FILE</c> a docker archive, <c>type=oci,dest=FILE</c> an OCI archive (<c>tar=false</c>: a layout
/// directory), <c>type=docker</c>/<c>image</c> without a file keep it in the job's images. A file-system export
/// (<c>type=local</c>, <c>type=tar</c>, a bare path or <c>-</c>) is refused: Dockyard exports images, not root file systems.
/// </summary>
/// <param name="Push">Whether the tags are pushed.</param>
/// <param name="Location">Where the image is written besides the job's images (an <c>ImageLocation</c> text), or null.</param>
internal sealed record BuildOutputSpec(bool Push, string? Location)
{
    /// <exception cref="DockyardException">An unknown type, a missing <c>dest</c>, or a file-system export.</exception>
    public static BuildOutputSpec Parse(string tool, string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal)) return FileSystemExport(tool, text);
        var fields = UseCases.Build.CsvOptionFields.Parse(text);
        var dest = fields.GetValueOrDefault("dest");
        return fields.GetValueOrDefault("type") switch
        {
            "registry" => new(true, null),
            "image" => new(fields.GetValueOrDefault("push") == "true", null),
            "docker" => new(false, dest is null ? null : "docker-archive:" + dest),
            "oci" => dest is null ? throw new DockyardException($"{tool} build --output {text}: type=oci needs dest=FILE.") { Setting = Setting.Output }
                : new(false, (fields.GetValueOrDefault("tar") == "false" ? "oci:" : "oci-archive:") + dest),
            "local" or "tar" => FileSystemExport(tool, text),
            var other => throw new DockyardException($"{tool} build --output {text}: type {other ?? "(none)"} is not one Dockyard writes; use type=registry, image, docker or oci.") { Setting = Setting.Output },
        };
    }

    private static BuildOutputSpec FileSystemExport(string tool, string text) =>
        throw new DockyardException($"{tool} build --output {text}: this exports the image's file system (type=local or tar), which Dockyard does not do natively; " +
            "write the image instead (type=docker,dest=FILE or type=oci,dest=FILE), or run the job with a real builder.") { Setting = Setting.Output };
}
