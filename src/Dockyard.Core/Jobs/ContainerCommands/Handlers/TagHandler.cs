using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary><c>docker tag SOURCE TARGET</c>: another name for an image of the job's store.</summary>
internal static class TagHandler
{
    public static int Run(ContainerJob job, TagCommand tag)
    {
        var found = ImageLookup.Find(job, tag.Tool, tag.Source);
        job.Store.SetName(tag.Target, found.Descriptor);
        return 0;
    }
}
