using Docker.DotNet;
using Dockyard.Diagnostics;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Shell;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Runs one job in containers as GitLab Runner's docker executor does (docs/jobs.md): the job's <c>image</c> (pulled per
/// <c>pull_policy</c>), its <c>services</c> started first on a network of the job's own (<see cref="JobNetwork"/>; else
/// the host network) and reached by their hostnames and aliases, every step (<c>before_script</c> + <c>script</c>,
/// <c>after_script</c>) in a container of the image with the job directory at
/// <c>/builds/&lt;namespace&gt;/&lt;project&gt;</c>. The job's preparation, caches, artifacts, timeout and retry are the
/// shell executor's; every container (and the job's network) is removed afterwards, also on cancel.
/// </summary>
internal sealed class DockerExecutor(JobRunContext run, DockerEngine engine)
{
    /// <summary>Runs <paramref name="planned"/> (which has an <c>image</c>) in concurrency slot <paramref name="concurrentId"/>.</summary>
    public async Task<JobResult> RunAsync(PlannedJob planned, int concurrentId, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var job = planned.Job;
        if (job.Image is null) throw new DockyardException($"job {job.Name}: the docker executor needs an image: keyword.");
        var client = await engine.JobClientAsync(cancellation).ConfigureAwait(false);
        try
        {
            var projectPath = run.Predefined.GetValueOrDefault("CI_PROJECT_PATH", "project");
            var paths = new ContainerPaths("/builds/" + projectPath.Trim('/'));
            var shell = new ShellExecutor(run) { Preparation = new DockerJobPreparation(run, client, engine, job, paths), ExecutorName = "docker" };
            return await shell.RunAsync(planned, concurrentId, cancellation).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Canceled while pulling or starting services: no step of the job ran.
            return new JobResult(job.Name, job.Stage, Scheduling.JobStatus.Canceled, false, null, TimeSpan.Zero, 1, "canceled");
        }
        catch (DockerApiException ex)
        {
            throw new DockyardException($"job {job.Name}: the Docker daemon at {engine.Endpoint} failed: {ex.Message.Trim()}");
        }
    }
}
