using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Images;

namespace Dockyard.Builders.Native;

/// <summary>
/// The native builder as a backend: always available, builds the request's plan for each platform in process and
/// hands the images (and the index over several platforms) back for the caller to push or write anywhere.
/// </summary>
public sealed class NativeBackend(NativeBuildOptions options) : IImageBuildBackend
{
    /// <inheritdoc />
    public BackendKind Kind => BackendKind.Native;

    /// <inheritdoc />
    public bool ReturnsImages => true;

    /// <summary>Receives the platform before each platform's build (progress on a terminal, CI logs).</summary>
    public Action<Platform>? PlatformStarted { get; init; }

    /// <inheritdoc />
    public Task<BackendAvailability> ProbeAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(BackendAvailability.Available("Dockyard's native builder (no daemon, no container)"));

    /// <inheritdoc />
    public async Task<BackendBuildResult> BuildAsync(BackendBuildRequest request, CancellationToken cancellationToken = default)
    {
        if (request.Plans.Count == 0)
            throw new DockyardException("native backend: the request carries no build plan; plan the Dockerfile before building.");
        if (!Directory.Exists(request.ContextDirectory))
            throw new DockyardException($"native backend: the build context '{request.ContextDirectory}' is not a directory; give an existing directory as the build context.")
                { Setting = Setting.Context };
        var dockerfile = request.DockerfilePath is null ? null : request.ResolvedDockerfile;
        var context = BuildContext.Open(request.ContextDirectory, dockerfile is not null && File.Exists(dockerfile) ? dockerfile : null);
        var builder = new NativeImageBuilder(options);
        var images = new List<Image>();
        foreach (var plan in request.Plans)
        {
            PlatformStarted?.Invoke(plan.Platform);
            images.Add(await builder.BuildAsync(plan, context, cancellationToken));
        }
        return new BackendBuildResult(BackendKind.Native, request.Tags, [])
        {
            Images = images,
            Index = images.Count > 1 ? MultiPlatformImage.Create(images) : null,
        };
    }
}
