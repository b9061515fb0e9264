using Dockyard.Images.DockerArchive;
using Dockyard.Images.Transfer;
using Dockyard.Layers;

namespace Dockyard.Images.Daemon;

/// <summary>
/// An image of the local Docker daemon (<c>docker-daemon:NAME[:TAG]</c>), read through <c>docker save</c>'s archive
/// (Engine API) with the docker-archive reader: layers recompressed into the layer cache and checked against their diff_ids.
/// </summary>
public sealed class DaemonImageSource(DockerEngine engine, string reference, LayerCache cache, string scratch) : IImageSource
{
    /// <inheritdoc />
    public string Name => $"docker-daemon:{reference}";

    /// <inheritdoc />
    public async Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratch);
        var archive = Path.Combine(scratch, "daemon-" + Guid.NewGuid().ToString("N") + ".tar");
        try
        {
            await using (var saved = await engine.SaveAsync(reference, cancellationToken))
            await using (var file = new FileStream(archive, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                await saved.CopyToAsync(file, cancellationToken);
            return await DockerArchiveReader.Source(archive, cache, null, Name).ReadAsync(options, cancellationToken);
        }
        finally
        {
            File.Delete(archive);
        }
    }
}

/// <summary>Loads an image into the local Docker daemon (<c>docker-daemon:NAME[:TAG]</c>) as a docker archive (Engine API).</summary>
public sealed class DaemonImageSink(DockerEngine engine, IReadOnlyList<string> tags, string scratch) : IImageSink
{
    /// <inheritdoc />
    public string Name => $"docker-daemon:{(tags.Count == 0 ? "" : tags[0])}";

    /// <inheritdoc />
    public async Task<ImageWriteResult> WriteAsync(ImageContent content, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(scratch, "daemon-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var archive = Path.Combine(directory, "image.tar");
            var written = await new DockerArchiveSink(archive, tags).WriteAsync(content, cancellationToken);
            await using (var stream = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous))
                await engine.LoadAsync(stream, cancellationToken);
            return written;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
