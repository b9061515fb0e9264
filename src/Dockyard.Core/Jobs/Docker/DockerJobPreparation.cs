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
/// services started and waited for; the attempt's steps then run in containers of the expanded image with the
/// services' hostnames.
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
        var hosts = new List<string>();
        foreach (var service in services)
        {
            await puller.EnsureAsync(service, cancellation).ConfigureAwait(false);
            hosts.AddRange(ServiceHostnames.Of(service.Name, service.Alias).Select(h => h + ":127.0.0.1"));
        }

        var started = services.Count == 0 ? null
            : await new JobServices(client, engine.Endpoint, paths, job.Name, ServiceWaitTimeout.Read(run.Host.Variables))
                .StartAsync(services, directory, environment, trace, cancellation).ConfigureAwait(false);
        return new Prepared(new ContainerStepRunner(client, image, paths, hosts, job.Name), started);
    }

    /// <summary>The attempt's step runner and its started services (removed on dispose).</summary>
    private sealed class Prepared(IJobStepRunner steps, IAsyncDisposable? services) : IPreparedJob
    {
        public IJobStepRunner Steps => steps;

        public ValueTask DisposeAsync() => services?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
