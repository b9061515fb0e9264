using Dockyard.Builders.MachineRuntime;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.Stores;
using Dockyard.Images.Transfer;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// Keeps an image whose .NET base was made from this machine's runtime (a local run offline) out of real registries:
/// it runs the app, but it is not the image a CI build would push.
/// </summary>
internal static class MachineBaseGuard
{
    /// <summary>Throws when <paramref name="name"/> in the job's store carries <see cref="MachineRuntimeImages.Label"/>.</summary>
    public static async Task EnsurePushableAsync(ContainerJob job, string tool, string name, string registry, CancellationToken cancellationToken)
    {
        var content = await new LocalStoreSource(job.Store, name).ReadAsync(new ImageReadOptions { AllPlatforms = true }, cancellationToken).ConfigureAwait(false);
        if (!content.Images.Any(i => i.Config.Labels.ContainsKey(MachineRuntimeImages.Label))) return;
        throw new DockyardException($"{tool} push {name}: the image's .NET base was made from this machine's runtime because its registry was not reachable when it was built, " +
            $"so it is not pushed to {registry}. Build it again with the registry reachable (or push to $CI_REGISTRY of the local run, the local image store).")
        { Subject = name };
    }
}
