using Dockyard.Diagnostics;
using Dockyard.Images.Stores;
using Dockyard.Registries.References;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>Finds an image of the job's store as docker finds one of the daemon's: by name, digest or (prefix of an) ID.</summary>
internal static class ImageLookup
{
    /// <exception cref="DockyardException">No such image: the message says how images get into the job's store.</exception>
    public static LocalImageEntry Find(ContainerJob job, string tool, string name) =>
        job.Store.Find(name) ?? throw new DockyardException(
            $"No such image: {name}. The job's images are those its own '{tool} build' and '{tool} pull' lines made (each job starts empty, as with a fresh docker:dind service); build or pull it first.");

    /// <summary>A reference as docker reads it (<c>busybox</c> = <c>docker.io/library/busybox:latest</c>).</summary>
    /// <exception cref="DockyardException">Not a reference: the message names the tool and the reference (user info masked).</exception>
    public static ImageReference Reference(string tool, string text) =>
        ImageReference.TryParse(text, out var reference, out var error) ? reference
            : throw new DockyardException($"{tool}: '{ImageReference.Shown(text)}' is not an image reference ({error}).") { Setting = Setting.Tag };
}
