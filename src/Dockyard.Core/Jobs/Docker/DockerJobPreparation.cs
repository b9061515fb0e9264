using Docker.DotNet;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Shell;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// The docker executor's preparation of one attempt, once the job's variables are known: the <c>image</c> and
/// <c>services</c> names expanded with them (<see cref="JobImageExpansion"/>), pulled per <c>pull_policy</c>, the
/// services started on the attempt's network (<see cref="JobNetwork"/>) and waited for; the attempt's steps then run in
/// containers of the expanded image on that network.
/// </summary>
internal sealed class DockerJobPreparation(JobRunContext run, DockerClient client, DockerEngine engine, Job job, ContainerPaths paths) : IJobPreparation
{
    public async Task<IPreparedJob> PrepareAsync(BuildDirectory directory, JobEnvironment environment, JobTrace trace, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(trace);
        var image = JobImageExpansion.Expand(job.Image!, environment, job.Name, "image");
        var services = job.Services.Select(s => JobImageExpansion.Expand(s, environment, job.Name, "services")).ToList();
        trace.Line($"Using Docker executor with image {image.Name} ...");
        var puller = new ImagePuller(client, engine, job.Name, new PullCredentials(run, environment), trace);
        await puller.EnsureAsync(image, cancellation).ConfigureAwait(false);
        var hostnames = new List<string>();
        foreach (var service in services)
        {
            await puller.EnsureAsync(service, cancellation).ConfigureAwait(false);
            hostnames.AddRange(ServiceHostnames.Of(service.Name, service.Alias));
        }

        // As the runner: a network only for a job with services (the steps alone need none).
        var network = services.Count > 0 && NetworkPerBuild.Read(environment.Variables, job.Name)
            ? await JobNetwork.CreateAsync(client, engine.Endpoint, job.Name, trace).ConfigureAwait(false)
            : JobNetwork.Host(client, trace);
        try
        {
            var started = services.Count == 0 ? null
                : await new JobServices(client, engine.Endpoint, paths, network, job.Name, ServiceWaitTimeout.Read(run.Host.Variables))
                    .StartAsync(services, directory, environment, trace, cancellation).ConfigureAwait(false);
            return new Prepared(new ContainerStepRunner(client, image, paths, network.Mode, network.ExtraHosts(hostnames), job.Name), started, network);
        }
        catch
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The attempt's step runner, its started services and its network (removed on dispose, the network last).</summary>
    private sealed class Prepared(IJobStepRunner steps, IAsyncDisposable? services, JobNetwork network) : IPreparedJob
    {
        public IJobStepRunner Steps => steps;

        public async ValueTask DisposeAsync()
        {
            if (services is not null) await services.DisposeAsync().ConfigureAwait(false);
            await network.DisposeAsync().ConfigureAwait(false);
        }
    }
}
