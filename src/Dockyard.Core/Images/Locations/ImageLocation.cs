using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Daemon;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Layout;
using Dockyard.Images.Stores;
using Dockyard.Images.Transfer;
using Dockyard.Registries.References;
using Dockyard.Registries.Transfer;

namespace Dockyard.Images.Locations;

/// <summary>The kinds of place an image can be read from or written to.</summary>
public enum ImageLocationKind
{
    /// <summary>A registry repository: <c>REGISTRY/REPO[:TAG|@DIGEST]</c> or <c>docker://…</c>.</summary>
    Registry,
    /// <summary>An OCI image layout directory: <c>oci:DIR[:TAG]</c>.</summary>
    Oci,
    /// <summary>A tar of an OCI image layout: <c>oci-archive:FILE[:TAG]</c>.</summary>
    OciArchive,
    /// <summary>A <c>docker save</c>/<c>docker load</c> archive: <c>docker-archive:FILE[:REF]</c>.</summary>
    DockerArchive,
    /// <summary>The local Docker daemon: <c>docker-daemon:NAME[:TAG]</c>.</summary>
    DockerDaemon,
    /// <summary>Dockyard's local image store: <c>local:NAME[:TAG]</c>.</summary>
    Local,
}

/// <summary>
/// Where an image is, as every front names it (skopeo's transports where they exist): parsed once by
/// <see cref="Parse"/>, then opened as a source or a sink.
/// </summary>
/// <param name="Kind">The kind of place.</param>
/// <param name="Text">The location as written.</param>
/// <param name="Path">The directory or file (oci, oci-archive, docker-archive), as written.</param>
/// <param name="Tag">The layout tag (oci, oci-archive) or the archive reference (docker-archive), when given.</param>
/// <param name="Reference">The image reference (registry, docker-daemon, local).</param>
public sealed record ImageLocation(ImageLocationKind Kind, string Text, string? Path, string? Tag, ImageReference? Reference)
{
    private static readonly (string Prefix, ImageLocationKind Kind)[] Transports =
    [
        ("docker://", ImageLocationKind.Registry), ("oci-archive:", ImageLocationKind.OciArchive), ("oci:", ImageLocationKind.Oci),
        ("docker-archive:", ImageLocationKind.DockerArchive), ("docker-daemon:", ImageLocationKind.DockerDaemon), ("local:", ImageLocationKind.Local),
    ];

    /// <summary>
    /// Parses <c>REGISTRY/REPO[:TAG|@DIGEST]</c> (or <c>docker://…</c>), <c>oci:DIR[:TAG]</c>,
    /// <c>oci-archive:FILE[:TAG]</c>, <c>docker-archive:FILE[:REF]</c>, <c>docker-daemon:NAME[:TAG]</c>, <c>local:NAME[:TAG]</c>.
    /// </summary>
    /// <param name="text">The location.</param>
    /// <param name="role">What it is for, for messages (e.g. <c>the source</c>).</param>
    /// <exception cref="DockyardException">The text is none of those.</exception>
    public static ImageLocation Parse(string text, string role = "the image")
    {
        if (string.IsNullOrWhiteSpace(text)) throw new DockyardException($"{role}: no location given; write REGISTRY/REPO:TAG, oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], docker-daemon:NAME[:TAG] or local:NAME[:TAG].");
        foreach (var (prefix, kind) in Transports)
        {
            if (!text.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var rest = text[prefix.Length..];
            switch (kind)
            {
                case ImageLocationKind.Oci or ImageLocationKind.OciArchive:
                {
                    var (path, tag) = SplitLayoutTag(rest);
                    if (path.Length == 0) throw new DockyardException($"{role} '{text}': no path; write {prefix}PATH[:TAG].");
                    return new ImageLocation(kind, text, path, tag, null);
                }
                case ImageLocationKind.DockerArchive:
                {
                    var colon = rest.IndexOf(':');
                    var (path, reference) = colon < 0 ? (rest, null) : (rest[..colon], rest[(colon + 1)..]);
                    if (path.Length == 0) throw new DockyardException($"{role} '{text}': no path; write docker-archive:FILE[:NAME:TAG].");
                    return new ImageLocation(kind, text, path, string.IsNullOrEmpty(reference) ? null : reference, null);
                }
                default:
                    return new ImageLocation(kind, text, null, null, ParseReference(rest, text, role));
            }
        }
        return new ImageLocation(ImageLocationKind.Registry, text, null, null, ParseReference(text, text, role));
    }

    /// <summary>Opens the location for reading.</summary>
    /// <exception cref="DockyardException">The kind cannot be read here (a registry reference without a registry client is never the case).</exception>
    public IImageSource OpenSource(ImageServices services) => Kind switch
    {
        ImageLocationKind.Registry => new RegistryImageSource(services.Registry, Reference!),
        ImageLocationKind.Oci => new OciLayoutSource(services.Host.FullPath(Path!), Tag, Text),
        ImageLocationKind.OciArchive => new OciArchiveSource(services.Host.FullPath(Path!), Tag, System.IO.Path.Combine(services.Layers.Root, "oci-archives")),
        ImageLocationKind.DockerArchive => DockerArchiveReader.Source(services.Host.FullPath(Path!), services.Layers, Tag, Text),
        ImageLocationKind.DockerDaemon => new DaemonImageSource(services.Engine, DaemonName, services.Layers, services.Scratch),
        _ => new LocalStoreSource(services.LocalStore, Reference!.ToString()),
    };

    /// <summary>Opens the location for writing, with <paramref name="additionalTags"/> besides its own tag.</summary>
    /// <exception cref="DockyardException">An extra tag is not valid for the location.</exception>
    public IImageSink OpenSink(ImageServices services, IReadOnlyList<string>? additionalTags = null)
    {
        var extra = additionalTags ?? [];
        return Kind switch
        {
            ImageLocationKind.Registry => new RegistryImageSink(services.Registry, [Reference!, .. extra.Select(t => Reference!.WithTag(t))]),
            ImageLocationKind.Oci => new OciLayoutSink(services.Host.FullPath(Path!), [.. Tags(Tag), .. extra], Text),
            ImageLocationKind.OciArchive => new OciArchiveSink(ArchivePath(services.Host), [.. Tags(Tag), .. extra]) { StandardOutput = services.Host.StandardOutput },
            ImageLocationKind.DockerArchive => new DockerArchiveSink(ArchivePath(services.Host), [.. Tags(Tag), .. extra]) { StandardOutput = services.Host.StandardOutput },
            ImageLocationKind.DockerDaemon => new DaemonImageSink(services.Engine, [DaemonName, .. extra.Select(t => Reference!.WithTag(t).ToString())], services.Scratch),
            _ => new LocalStoreSink(services.LocalStore, [Reference!.ToString(), .. extra.Select(t => Reference!.WithTag(t).ToString())]),
        };
    }

    /// <summary>An archive's path resolved against the working directory; <c>-</c> (standard output) is kept.</summary>
    private string ArchivePath(HostContext host) => Path == ArchiveDestination.StandardOutputName ? Path : host.FullPath(Path!);

    /// <summary>The name as the daemon knows it (<c>docker.io/library/x:1</c> is <c>x:1</c> to docker).</summary>
    private string DaemonName
    {
        get
        {
            var text = Reference!.ToString();
            return text.StartsWith("docker.io/library/", StringComparison.Ordinal) ? text["docker.io/library/".Length..]
                : text.StartsWith("docker.io/", StringComparison.Ordinal) ? text["docker.io/".Length..] : text;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static IEnumerable<string> Tags(string? tag) => tag is null ? [] : [tag];

    private static ImageReference ParseReference(string text, string written, string role) =>
        ImageReference.Shown(text) != text
            ? throw new DockyardException($"{role} '{ImageReference.Shown(written)}' carries user info (user:password@) before the registry; give the credentials as explicit credentials, through docker login or a credential helper, never in the reference.") { Setting = Setting.Credentials }
        : ImageReference.TryParse(text, out var reference, out var error) ? reference
        : throw new DockyardException($"{role} '{ImageReference.Shown(written)}' is not a valid image reference ({error}). Write REGISTRY/REPO:TAG, oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:REF], docker-daemon:NAME[:TAG] or local:NAME[:TAG].");

    /// <summary>A layout tag cannot contain '/', so a colon after the last '/' separates it.</summary>
    private static (string Path, string? Tag) SplitLayoutTag(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > text.LastIndexOf('/') && colon > 0 ? (text[..colon], text[(colon + 1)..]) : (text, null);
    }
}
