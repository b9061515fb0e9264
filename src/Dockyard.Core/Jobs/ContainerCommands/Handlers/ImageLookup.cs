using Dockyard.Diagnostics;
using Dockyard.Images.Stores;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>Finds an image of the job's store as docker finds one of the daemon's: by name, digest or (prefix of an) ID.</summary>
internal static class ImageLookup
{
    /// <exception cref="DockyardException">No such image: the message says how images get into the job's store.</exception>
    public static LocalImageEntry Find(ContainerJob job, string tool, string name) =>
        job.Store.Find(name) ?? throw new DockyardException(
            $"No such image: {name}. The job's images are those its own '{tool} build' and '{tool} pull' lines made (each job starts empty, as with a fresh docker:dind service); build or pull it first.");
}
