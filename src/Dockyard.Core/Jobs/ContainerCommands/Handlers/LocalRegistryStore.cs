using Dockyard.UseCases;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// A push to the local run's <c>$CI_REGISTRY</c>: the job's image goes into the user's local image store (the
/// embedded default, <c>HostContext.CacheDirectory/images</c>) under the same name, where it outlives the job.
/// </summary>
internal static class LocalRegistryStore
{
    public static async Task<ImageCopyResult> StoreAsync(ContainerJob job, string name, CancellationToken cancellationToken)
    {
        // The job's store and the user's are two OCI layouts; an oci-archive in the job's temporary space carries the image across.
        var archive = Path.Combine(job.PrivateDirectory, $"local-push-{Guid.NewGuid():N}.tar");
        try
        {
            await ImageCopy.RunAsync(job.Host, new ImageCopyRequest { Source = "local:" + name, Destination = "oci-archive:" + archive, AllPlatforms = true, LocalStoreDirectory = job.Store.Root },
                cancellationToken).ConfigureAwait(false);
            var result = await ImageCopy.RunAsync(job.Host, new ImageCopyRequest { Source = "oci-archive:" + archive, Destination = "local:" + name, AllPlatforms = true },
                cancellationToken).ConfigureAwait(false);
            var store = Images.Stores.LocalImageStore.ForHost(job.Host);
            var stored = (await new Images.Stores.LocalStoreSource(store, name).ReadAsync(new Images.Transfer.ImageReadOptions(), cancellationToken).ConfigureAwait(false)).Images.FirstOrDefault();
            job.Note($"{name}: stored in the local image store ({store.Root}), because $CI_REGISTRY is the local image store in a local run; " +
                $"'dockyard image push {name}' sends it to that registry, 'dockyard image copy local:{name} docker-daemon:{name}' loads it into docker.");
            if (stored is not null) foreach (var line in Images.LayerSummary.Lines(stored)) job.Note(line);
            return result;
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
