using Dockyard.Diagnostics;
using Dockyard.Images.Locations;
using Dockyard.Registries.References;
using Dockyard.UseCases;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary><c>docker push</c> and <c>docker pull</c>: copies between the job's store and registries, with the job's logins first.</summary>
internal static class TransferHandler
{
    public static async Task<int> PushAsync(ContainerJob job, PushCommand push, CancellationToken cancellationToken)
    {
        var reference = ImageLookup.Reference(push.Tool, push.Reference);
        IReadOnlyList<string> names;
        if (push.AllTags)
        {
            names = job.Store.List().Select(e => ImageReference.Parse(e.Name)).Where(r => r.Name == reference.Name && r.Tag is not null).Select(r => r.ToString()).ToList();
            if (names.Count == 0) throw new DockyardException($"No tag of {reference.Name} in the job's images; build or tag one first.") { Subject = reference.Name };
        }
        else
        {
            names = [ImageLookup.Find(job, push.Tool, push.Reference).Name];
        }
        job.Output.WriteLine($"The push refers to repository [{reference.Name}]");
        foreach (var name in names)
        {
            var digest = await PushNameAsync(job, push.Tool, name, new RegistryConnection { Credentials = job.Credentials.All() }, cancellationToken).ConfigureAwait(false);
            job.Output.WriteLine($"{ImageReference.Parse(name).Tag}: digest: {digest}");
        }
        return 0;
    }

    /// <summary>
    /// Sends the job's image <paramref name="name"/> to its registry (or, for the local run's <c>$CI_REGISTRY</c>, into
    /// the local image store); returns the digest written.
    /// </summary>
    public static async Task<string> PushNameAsync(ContainerJob job, string tool, string name, RegistryConnection connection, CancellationToken cancellationToken)
    {
        var registry = ImageReference.Parse(name).Registry;
        if (job.IsLocalRegistry(registry))
            return (await LocalRegistryStore.StoreAsync(job, name, cancellationToken).ConfigureAwait(false)).Digest;
        await MachineBaseGuard.EnsurePushableAsync(job, tool, name, registry, cancellationToken).ConfigureAwait(false);
        var result = await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
        {
            Source = "local:" + name, Destination = name, AllPlatforms = true, LocalStoreDirectory = job.Store.Root, Connection = connection,
        }, cancellationToken).ConfigureAwait(false);
        return result.Digest;
    }

    public static async Task<int> PullAsync(ContainerJob job, PullCommand pull, CancellationToken cancellationToken)
    {
        var reference = ImageLookup.Reference(pull.Tool, pull.Reference);
        var result = await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
        {
            Source = reference.ToString(), Destination = "local:" + reference, LocalStoreDirectory = job.Store.Root,
            Connection = new RegistryConnection { Credentials = job.Credentials.All() },
        }, cancellationToken).ConfigureAwait(false);
        job.Output.WriteLine($"Digest: {result.Digest}");
        job.Output.WriteLine($"Status: Downloaded newer image for {pull.Reference}");
        job.Output.WriteLine(reference.ToString());
        return 0;
    }
}
