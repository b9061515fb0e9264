using Dockyard.Builders.Docker;
using Dockyard.Builders.Native;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Layout;
using Dockyard.Images.Stores;
using Dockyard.Images.Transfer;
using Dockyard.Registries;

namespace Dockyard.UseCases.Build;

/// <summary>
/// Writes images the backend handed back to the request's destination; the one place where "build an image"
/// writes output: push (<see cref="ImagePublisher"/>), a file or layout (<see cref="ImageOutput"/>), the Docker
/// daemon (a docker archive, then <c>docker load</c>) or the local image store (<see cref="LocalStoreSink"/>).
/// </summary>
internal static class BuildOutputWriter
{
    /// <summary>What was written.</summary>
    /// <param name="UploadedBytes">Bytes uploaded (pushes only; 0 otherwise).</param>
    /// <param name="Location">Where it went, in words.</param>
    /// <param name="Messages">The tool's own lines (<c>Loaded image: …</c>).</param>
    public sealed record Written(long UploadedBytes, string Location, IReadOnlyList<string> Messages);

    /// <summary>Writes <paramref name="images"/> (or <paramref name="index"/> over them) to <paramref name="destination"/>.</summary>
    /// <param name="images">The images, one per platform.</param>
    /// <param name="index">The index when there are several platforms.</param>
    /// <param name="destination">Where they go.</param>
    /// <param name="tags">The tags.</param>
    /// <param name="localStoreDirectory">The root of the local image store.</param>
    /// <param name="pushClient">Opens a registry client whose uploads are counted (for pushes).</param>
    /// <param name="docker">The docker backend (for the Docker daemon).</param>
    /// <param name="standardOutput">The front's standard output, for an archive written to <c>-</c>.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static async Task<Written> WriteAsync(IReadOnlyList<Image> images, MultiPlatformImage? index, ImageDestination destination, IReadOnlyList<string> tags,
        string localStoreDirectory, Func<(RegistryClient Client, TransferProgressForwarder Counter)> pushClient, DockerCliBackend docker, Func<Stream>? standardOutput, CancellationToken cancellationToken)
    {
        switch (destination.Kind)
        {
            case ImageDestinationKind.Push:
            {
                var (client, counter) = pushClient();
                using (client)
                {
                    if (index is null) await ImagePublisher.PushAsync(images[0], client, tags, cancellationToken);
                    else await ImagePublisher.PushIndexAsync(index, client, tags, cancellationToken);
                }
                return new Written(counter.UploadedBytes, $"pushed to {string.Join(", ", tags)}", []);
            }
            case ImageDestinationKind.LocalStore:
            {
                if (tags.Count == 0)
                    throw new DockyardException("An image for the local store needs a name; give a tag REGISTRY/REPOSITORY:TAG (or NAME:TAG).") { Setting = Setting.Tag };
                var store = new LocalImageStore(localStoreDirectory);
                await new LocalStoreSink(store, tags).WriteAsync(index is null ? images[0] : index, cancellationToken);
                return new Written(0, $"the local store ({string.Join(", ", tags.Select(t => "local:" + t))})", []);
            }
            case ImageDestinationKind.Location when destination.Location == ImageDestination.DockerDaemon:
            {
                // Load into the local daemon: a docker archive in a private temporary directory, then `docker load`.
                var archiveDirectory = Directory.CreateTempSubdirectory("dockyard-load-");
                try
                {
                    var archive = Path.Combine(archiveDirectory.FullName, "image.tar");
                    await Write(ImageOutputKind.DockerArchive, archive, images, index, tags, null, cancellationToken);
                    var lines = await docker.LoadAsync(archive, cancellationToken);
                    return new Written(0, "the Docker daemon", lines);
                }
                finally
                {
                    archiveDirectory.Delete(recursive: true);
                }
            }
            default:
            {
                var (kind, path) = ParseLocation(destination.Location ?? "");
                await Write(kind, path, images, index, tags, standardOutput, cancellationToken);
                return new Written(0, path == ArchiveDestination.StandardOutputName ? "standard output" : destination.Location!, []);
            }
        }
    }

    /// <summary>A file or layout destination with its path resolved against <paramref name="host"/>'s working directory (<c>-</c> and the other kinds as given).</summary>
    public static ImageDestination Resolve(ImageDestination destination, HostContext host)
    {
        if (destination.Kind != ImageDestinationKind.Location || destination.Location == ImageDestination.DockerDaemon) return destination;
        var location = destination.Location ?? "";
        var (_, path) = ParseLocation(location);
        if (path == ArchiveDestination.StandardOutputName) return destination;
        var type = location[..location.IndexOf(':', StringComparison.Ordinal)];
        return ImageDestination.At($"{type}:{host.FullPath(path)}");
    }

    /// <summary>Splits <c>oci:DIR</c>, <c>oci-archive:FILE</c> or <c>docker-archive:FILE</c>.</summary>
    /// <exception cref="DockyardException">Any other text.</exception>
    public static (ImageOutputKind Kind, string Path) ParseLocation(string location)
    {
        var colon = location.IndexOf(':', StringComparison.Ordinal);
        var type = colon < 0 ? location : location[..colon];
        var path = colon < 0 ? "" : location[(colon + 1)..];
        if (type is not ("oci" or "oci-archive" or "docker-archive") || path.Length == 0)
            throw new DockyardException($"The output '{location}' is not a location Dockyard writes; write oci:DIR, oci-archive:FILE, docker-archive:FILE or {ImageDestination.DockerDaemon}.")
                { Setting = Setting.Output };
        return (ImageOutput.ParseKind(type), path);
    }

    private static Task<ImageWriteResult> Write(ImageOutputKind kind, string path, IReadOnlyList<Image> images, MultiPlatformImage? index, IReadOnlyList<string> tags,
        Func<Stream>? standardOutput, CancellationToken cancellationToken) =>
        ImageOutput.Sink(kind, path, tags, standardOutput).WriteAsync(index is null ? images[0] : index, cancellationToken);
}
