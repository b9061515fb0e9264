using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Microsoft.Extensions.Logging;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Which jobs of a run use the docker executor: with <see cref="ExecutorKind.Auto"/> and <see cref="ExecutorKind.Docker"/>
/// every job with an <c>image</c> that is not a container-building tool (those run their tool on this machine; the name
/// as known before the job runs, <see cref="JobImageExpansion.NameBeforeRun"/>), when a
/// Docker daemon answers a quick ping. With auto and no daemon, one warning per image and the shell executor; with
/// docker and no daemon, an error naming the endpoint.
/// </summary>
internal sealed class DockerChoice : IAsyncDisposable
{
    private readonly Func<PlannedJob, bool> _wants;

    private DockerChoice(DockerEngine? engine, Func<PlannedJob, bool> wants)
    {
        Engine = engine;
        _wants = wants;
    }

    /// <summary>The daemon the docker executor uses, or null when every job runs with the shell executor.</summary>
    public DockerEngine? Engine { get; }

    /// <summary>
    /// Decides for <paramref name="plan"/>, whose image names are expanded with <paramref name="predefined"/> and
    /// <paramref name="external"/> (<see cref="JobImageExpansion.NameBeforeRun"/>).
    /// </summary>
    public static async Task<DockerChoice> DecideAsync(HostContext host, IReadOnlyList<PlannedJob> plan, ExecutorKind executor,
        IReadOnlyDictionary<string, string> predefined, IReadOnlyList<JobVariable> external, CancellationToken cancellation)
    {
        bool Wants(PlannedJob planned) => JobImageExpansion.NameBeforeRun(planned.Job, predefined, external) is { } name && !ContainerTools.IsBuildTool(name);
        var images = plan.Where(Wants).Select(p => p.Job.Image!.Name).Distinct(StringComparer.Ordinal).ToList();
        if (executor == ExecutorKind.Shell || images.Count == 0) return new DockerChoice(null, Wants);
        DockerEngine? engine = null;
        try
        {
            engine = DockerEngine.ForHost(host);
            if (await engine.TryPingAsync(cancellation).ConfigureAwait(false) is not null) return new DockerChoice(engine, Wants);
        }
        catch (DockyardException) when (executor == ExecutorKind.Auto)
        {
        }

        var endpoint = engine?.Endpoint ?? "the configured endpoint";
        if (engine is not null) await engine.DisposeAsync().ConfigureAwait(false);
        if (executor == ExecutorKind.Docker)
            throw new DockyardException($"--executor docker: no Docker daemon answers at {endpoint}. Start dockerd, set DOCKER_HOST or `docker context use`, or pass --executor shell.");
        foreach (var image in images)
            host.Logger.LogWarning("image {Image}: no Docker daemon answers for the docker executor; its jobs run with the shell executor on this machine", image);
        return new DockerChoice(null, Wants);
    }

    /// <summary>Whether <paramref name="planned"/> runs in containers.</summary>
    public bool Uses(PlannedJob planned) => Engine is not null && _wants(planned);

    /// <summary>Closes the daemon connection.</summary>
    public ValueTask DisposeAsync() => Engine?.DisposeAsync() ?? ValueTask.CompletedTask;
}
