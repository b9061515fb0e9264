using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Diagnostics;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Shell;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Runs one job in containers as GitLab Runner's docker executor does (docs/jobs.md): the job's <c>image</c> (pulled per
/// <c>pull_policy</c>), its <c>services</c> started first on the host network and reached at 127.0.0.1 by their
/// hostnames and aliases, every step (<c>before_script</c> + <c>script</c>, <c>after_script</c>) in a container of the
/// image with the job directory at <c>/builds/&lt;namespace&gt;/&lt;project&gt;</c>. The job's preparation, caches,
/// artifacts, timeout and retry are the shell executor's; every container is removed afterwards, also on cancel.
/// </summary>
internal sealed class DockerExecutor(JobRunContext run, DockerEngine engine)
{
    /// <summary>Runs <paramref name="planned"/> (which has an <c>image</c>) in concurrency slot <paramref name="concurrentId"/>.</summary>
    public async Task<JobResult> RunAsync(PlannedJob planned, int concurrentId, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var job = planned.Job;
        var image = job.Image ?? throw new DockyardException($"job {job.Name}: the docker executor needs an image: keyword.");
        var client = await engine.JobClientAsync(cancellation).ConfigureAwait(false);
        var credentials = new PullCredentials(run, job);
        try
        {
            await EnsureImageAsync(client, image, job.Name, credentials, cancellation).ConfigureAwait(false);
            var hosts = new List<string>();
            foreach (var service in job.Services)
            {
                await EnsureImageAsync(client, service, job.Name, credentials, cancellation).ConfigureAwait(false);
                hosts.AddRange(ServiceHostnames.Of(service.Name, service.Alias).Select(h => h + ":127.0.0.1"));
            }

            var projectPath = run.Predefined.GetValueOrDefault("CI_PROJECT_PATH", "project");
            var paths = new ContainerPaths("/builds/" + projectPath.Trim('/'));
            var steps = new ContainerStepRunner(client, image, paths, hosts, job.Name);
            var services = job.Services.Count == 0 ? null
                : new JobServices(client, engine.Endpoint, job.Services, paths, job.Name, ServiceWaitTimeout.Read(run.Host.Variables));
            var shell = new ShellExecutor(run) { Steps = steps, Services = services, ExecutorName = "docker" };
            return await shell.RunAsync(planned, concurrentId, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Canceled while pulling or starting services: nothing of the job ran yet.
            return new JobResult(job.Name, job.Stage, Scheduling.JobStatus.Canceled, false, null, TimeSpan.Zero, 1, "canceled");
        }
        catch (DockerApiException ex)
        {
            throw new DockyardException($"job {job.Name}: the Docker daemon at {engine.Endpoint} failed: {ex.Message.Trim()}");
        }
    }

    private async Task EnsureImageAsync(DockerClient client, ContainerImage image, string jobName, PullCredentials credentials, CancellationToken cancellation)
    {
        var present = await engine.ImageExistsAsync(image.Name, cancellation).ConfigureAwait(false);
        foreach (var policy in PullPolicies.Read(image))
        {
            if (policy == PullPolicy.Never && present) return;
            if (policy == PullPolicy.IfNotPresent && present) return;
            if (policy == PullPolicy.Never) continue;
            var auth = await credentials.ForAsync(image.Name, cancellation).ConfigureAwait(false);
            try
            {
                var progress = new Progress<JSONMessage>();
                await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image.Name, Platform = image.DockerPlatform }, auth, progress, cancellation).ConfigureAwait(false);
                if (await engine.ImageExistsAsync(image.Name, cancellation).ConfigureAwait(false)) return;
            }
            catch (DockerApiException ex) when (present)
            {
                // The runner fails here; locally the daemon's own copy of the image is what the user built or loaded.
                run.Log.Line(jobName, $"WARNING: pulling {image.Name} failed ({ex.Message.Trim()}); using the image the Docker daemon already has");
                return;
            }
            catch (DockerApiException ex) when (auth is null)
            {
                var registry = PullCredentials.RegistryOf(image.Name);
                throw new DockyardException($"job {jobName}: image {image.Name} could not be pulled by the Docker daemon at {engine.Endpoint}: {ex.Message.Trim()}. No credentials for registry {registry} were found: set DOCKER_AUTH_CONFIG in the job's variables or the variables file, or `docker login {registry}`; or check the name, or build/load it and set pull_policy: if-not-present.") { Subject = image.Name };
            }
            catch (DockerApiException ex)
            {
                throw new DockyardException($"job {jobName}: image {image.Name} could not be pulled by the Docker daemon at {engine.Endpoint} with the credentials found for registry {PullCredentials.RegistryOf(image.Name)}: {ex.Message.Trim()}. Check the name and those credentials, or build/load it and set pull_policy: if-not-present.") { Subject = image.Name };
            }
        }

        throw new DockyardException($"job {jobName}: image {image.Name} is not in the Docker daemon at {engine.Endpoint} and its pull_policy does not allow a pull. Build or load it first.") { Subject = image.Name };
    }
}
