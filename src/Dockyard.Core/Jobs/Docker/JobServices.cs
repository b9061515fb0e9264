using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Diagnostics;
using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Shell;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Starts a job's <c>services:</c> (names expanded, images present) for one attempt as the runner's docker executor
/// does: each on the attempt's <paramref name="network"/> (with its hostnames as aliases there) with its
/// <c>entrypoint</c>/<c>command</c>, the job directory mounted and the job's variables plus its own
/// (<see cref="ServiceEnvironment"/>), then waits for all of them (<see cref="ServiceWaiter"/> at their address on that
/// network, up to <paramref name="waitTimeout"/>; null: no wait) before the first step.
/// </summary>
internal sealed class JobServices(DockerClient client, string endpoint, ContainerPaths paths, JobNetwork network, string jobName, TimeSpan? waitTimeout)
{
    /// <summary>Starts <paramref name="services"/> and waits for them; disposing the result removes them (also when they still run).</summary>
    public async Task<IAsyncDisposable> StartAsync(IReadOnlyList<ContainerImage> services, BuildDirectory directory, JobEnvironment environment, JobTrace trace, CancellationToken cancellation)
    {
        var started = new ServiceContainers(client);
        var complete = false;
        try
        {
            var waiters = new List<ServiceWaiter>();
            foreach (var service in services)
            {
                trace.Line($"Starting service {service.Name} ...");
                var id = await StartServiceAsync(service, directory, environment, started).ConfigureAwait(false);
                var inspect = await client.Containers.InspectContainerAsync(id, cancellation).ConfigureAwait(false);
                waiters.Add(new ServiceWaiter(client, service.Name, id, network.AddressOf(inspect), ServicePorts.Of(service.Name, inspect.Config?.Env, inspect.Config?.ExposedPorts?.Keys)));
            }

            if (waitTimeout is { } timeout && waiters.Count > 0)
            {
                trace.Line($"Waiting for services to be up and running (timeout {((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds)...");
                var reports = await Task.WhenAll(waiters.Select(w => w.WaitAsync(timeout, cancellation))).ConfigureAwait(false);
                foreach (var line in reports.SelectMany(r => r)) trace.Line(line);
            }

            complete = true;
            return started;
        }
        catch (DockerApiException ex)
        {
            throw new DockyardException($"job {jobName}: the Docker daemon at {endpoint} failed while starting the services: {ex.Message.Trim()}");
        }
        finally
        {
            if (!complete) await started.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<string> StartServiceAsync(ContainerImage service, BuildDirectory directory, JobEnvironment environment, ServiceContainers started)
    {
        var created = await client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = service.Name,
            Platform = service.DockerPlatform,
            User = service.DockerUser!,
            Name = $"dockyard-svc-{ContainerNames.Safe(jobName)}-{Guid.NewGuid():N}",
            Labels = new Dictionary<string, string> { [ContainerNames.Label] = "service", [ContainerNames.JobLabel] = jobName },
            Entrypoint = service.Entrypoint?.ToList()!,
            Cmd = service.Command?.ToList()!,
            Env = paths.Environment(ServiceEnvironment.Of(environment, service.Variables), directory),
            HostConfig = new HostConfig { NetworkMode = network.Mode, Binds = paths.Binds(directory) },
            NetworkingConfig = network.Endpoint(ServiceHostnames.Of(service.Name, service.Alias))!,
        }, CancellationToken.None).ConfigureAwait(false);
        started.Add(created.ID);
        try
        {
            await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new DockyardException($"job {jobName}: service {service.Name} could not be started by the Docker daemon at {endpoint}: {ex.Message.Trim()}") { Subject = service.Name };
        }

        return created.ID;
    }

    /// <summary>The service containers of one attempt; disposing removes them (forced, also when they still run).</summary>
    private sealed class ServiceContainers(DockerClient client) : IAsyncDisposable
    {
        private readonly List<string> _ids = [];

        public void Add(string id) => _ids.Add(id);

        public async ValueTask DisposeAsync()
        {
            foreach (var id in _ids) await ContainerStepRunner.RemoveAsync(client, id).ConfigureAwait(false);
            _ids.Clear();
        }
    }
}
