using Dockyard.Images.Stores;
using Dockyard.Registries.References;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary><c>docker images</c> / <c>image ls</c> and <c>docker inspect --format</c> over the job's store.</summary>
internal static class ListingHandler
{
    public static int Images(ContainerJob job, ImagesCommand images)
    {
        var filter = images.Repository is { } repository ? Repository(repository) : null;
        var rows = job.Store.Summaries()
            .Where(s => filter is null || ImageReference.Parse(s.Entry.Name).Name == filter)
            .OrderByDescending(s => s.Entry.Created).ThenBy(s => s.Entry.Name, StringComparer.Ordinal).ToList();
        if (images.Quiet)
        {
            foreach (var id in rows.Select(r => r.ImageId.Hex[..12]).Distinct()) job.Output.WriteLine(id);
            return 0;
        }
        DockerOutputStyle.WriteImageTable(job.Output, rows, DateTimeOffset.UtcNow);
        return 0;
    }

    public static int Inspect(ContainerJob job, InspectCommand inspect)
    {
        foreach (var name in inspect.References)
        {
            var entry = ImageLookup.Find(job, inspect.Tool, name);
            job.Output.WriteLine(inspect.Format switch
            {
                InspectFormat.Id => Summary(job, entry).ImageId.ToString(),
                _ => $"{LocalImageStore.FamiliarName(ImageReference.Parse(entry.Name))}@{entry.Descriptor.Digest}",
            });
        }
        return 0;
    }

    private static LocalImageSummary Summary(ContainerJob job, LocalImageEntry entry) =>
        job.Store.Summaries().First(s => s.Entry.Name == entry.Name);

    /// <summary>The repository a filter names (<c>busybox</c> = <c>docker.io/library/busybox</c>).</summary>
    private static string Repository(string text) =>
        ImageReference.TryParse(text, out var reference, out _) ? reference.Name : text;
}
