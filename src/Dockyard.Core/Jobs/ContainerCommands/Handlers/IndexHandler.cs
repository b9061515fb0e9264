using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Images.Locations;
using Dockyard.Registries.References;
using Dockyard.UseCases;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// <c>docker manifest create/push</c> and <c>docker buildx imagetools create</c>: an index of images already in a
/// registry (or, in a local run, in the local image store), written to its tags. <c>manifest create</c> keeps the list
/// in the job's private directory (docker keeps it in <c>~/.docker/manifests</c>) until <c>manifest push</c>.
/// </summary>
internal static class IndexHandler
{
    public static int ManifestCreate(ContainerJob job, ManifestCreateCommand create)
    {
        var list = ImageLookup.Reference(create.Tool, create.List);
        var path = ListPath(job, list);
        var images = create.Images.Select(i => ImageLookup.Reference(create.Tool, i).ToString()).ToList();
        if (File.Exists(path))
        {
            if (!create.Amend)
                throw new DockyardException($"{create.Tool} manifest create: {list} already exists in this job; add --amend to add to it, or push it first.");
            images = [.. Read(path), .. images.Where(i => !Read(path).Contains(i))];
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(images));
        job.Output.WriteLine($"Created manifest list {list}");
        return 0;
    }

    public static async Task<int> ManifestPushAsync(ContainerJob job, ManifestPushCommand push, CancellationToken cancellationToken)
    {
        var list = ImageLookup.Reference(push.Tool, push.List);
        var path = ListPath(job, list);
        if (!File.Exists(path))
            throw new DockyardException($"{push.Tool} manifest push: no manifest list {list} in this job; create it first with '{push.Tool} manifest create {push.List} IMAGE...'.");
        var result = await WriteAsync(job, Read(path), list, [], cancellationToken).ConfigureAwait(false);
        if (push.Purge) File.Delete(path);
        job.Output.WriteLine(result.Digest);
        return 0;
    }

    public static async Task<int> ImagetoolsCreateAsync(ContainerJob job, IndexCreateCommand create, CancellationToken cancellationToken)
    {
        var sources = create.Sources.Select(s => ImageLookup.Reference(create.Tool, s).ToString()).ToList();
        foreach (var repository in create.Tags.Select(t => ImageLookup.Reference(create.Tool, t)).GroupBy(t => t.Name))
        {
            var result = await WriteAsync(job, sources, repository.First(), repository.Skip(1).Select(t => t.Tag).OfType<string>().ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var tag in repository) job.Note($"pushed {tag}@{result.Digest}");
        }
        return 0;
    }

    private static Task<ImageCopyResult> WriteAsync(ContainerJob job, IReadOnlyList<string> sources, ImageReference destination, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        ImageIndexAssembly.RunAsync(job.Host, new ImageIndexRequest
        {
            Sources = sources.Select(s => Location(job, s)).ToList(), Destination = Location(job, destination.ToString()), AdditionalTags = tags,
            Connection = new RegistryConnection { Credentials = job.Credentials.All() },
        }, cancellationToken);

    /// <summary>In a local run, <c>$CI_REGISTRY</c> is the local image store.</summary>
    private static string Location(ContainerJob job, string reference) =>
        job.IsLocalRegistry(ImageReference.Parse(reference).Registry) ? "local:" + reference : reference;

    private static string ListPath(ContainerJob job, ImageReference list) =>
        Path.Combine(job.PrivateDirectory, "manifest-lists",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(list.ToString()))) + ".json");

    private static List<string> Read(string path) => JsonSerializer.Deserialize<List<string>>(File.ReadAllBytes(path)) ?? [];
}
