using Dockyard.Diagnostics;
using Dockyard.Images.DockerArchive;
using Dockyard.UseCases;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary><c>docker save</c> and <c>docker load</c>: docker archives written from, and read into, the job's images.</summary>
internal static class ArchiveHandler
{
    /// <summary>Writes the named images (tags of one image) as a docker archive to <c>-o FILE</c> or standard output.</summary>
    public static async Task<int> SaveAsync(ContainerJob job, SaveCommand save, CancellationToken cancellationToken)
    {
        var entries = save.Images.Select(name => ImageLookup.Find(job, save.Tool, name)).ToList();
        if (entries.Select(e => e.Descriptor.Digest).Distinct().Count() > 1)
            throw new DockyardException($"{save.Tool} save: {string.Join(", ", save.Images)} are different images, and Dockyard writes one image (with any number of tags) per archive; save each to its own file.");
        if (save.Output is null && job.Host.StandardOutput is null)
            throw new DockyardException($"{save.Tool} save: no standard output to write the archive to; give -o FILE.");
        var names = entries.Select(e => e.Name).Distinct(StringComparer.Ordinal).ToList();
        await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
        {
            Source = "local:" + names[0], Destination = $"docker-archive:{save.Output ?? "-"}:{names[0]}", AdditionalTags = names.Skip(1).ToList(),
            LocalStoreDirectory = job.Store.Root,
        }, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>Reads every image of a docker archive (<c>-i FILE</c> or standard input) into the job's images under its tags.</summary>
    public static async Task<int> LoadAsync(ContainerJob job, LoadCommand load, CancellationToken cancellationToken)
    {
        string? spooled = null;
        try
        {
            var archive = load.Input is { } input ? job.Host.FullPath(input) : spooled = await SpoolAsync(job, load, cancellationToken).ConfigureAwait(false);
            var images = DockerArchiveReader.RepoTags(archive);
            if (images.All(tags => tags.Count == 0))
                throw new DockyardException($"{load.Tool} load: the archive holds no tagged image, and the job's images are found by name; save it with a tag (docker save NAME:TAG).");
            if (images.Any(tags => tags.Count == 0))
                job.Note($"{load.Tool} load: {images.Count(tags => tags.Count == 0)} image(s) of the archive have no tag and are not loaded (the job's images are found by name)");
            foreach (var tags in images.Where(tags => tags.Count > 0))
            {
                foreach (var tag in tags)
                {
                    var result = await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
                    {
                        Source = $"docker-archive:{archive}:{tags[0]}", Destination = "local:" + tag, LocalStoreDirectory = job.Store.Root,
                    }, cancellationToken).ConfigureAwait(false);
                    job.Output.WriteLine(load.Quiet ? $"Loaded image: {tag}" : $"Loaded image: {tag} ({result.Digest})");
                }
            }
            return 0;
        }
        finally
        {
            if (spooled is not null) File.Delete(spooled);
        }
    }

    /// <summary>Standard input into a private file beside the job's store (the archive is read more than once).</summary>
    private static async Task<string> SpoolAsync(ContainerJob job, LoadCommand load, CancellationToken cancellationToken)
    {
        var open = job.Host.StandardInput ?? throw new DockyardException($"{load.Tool} load: no standard input to read the archive from; give -i FILE.");
        var path = Path.Combine(job.PrivateDirectory, $"load-{Guid.NewGuid():N}.tar");
        await using (var input = open())
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            await input.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        if (new FileInfo(path).Length == 0)
        {
            File.Delete(path);
            throw new DockyardException($"{load.Tool} load: standard input is empty; give the archive with -i FILE or '< FILE'.");
        }
        return path;
    }
}
