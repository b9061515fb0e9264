namespace Dockyard.Builders;

/// <summary>
/// An engine that builds a Dockerfile target: the native builder (in process, no container) or a container tool
/// (docker, buildah) for what the native builder cannot do.
/// </summary>
public interface IImageBuildBackend
{
    /// <summary>Which backend this is.</summary>
    BackendKind Kind { get; }

    /// <summary>
    /// True when <see cref="BuildAsync"/> hands the built images back (<see cref="BackendBuildResult.Images"/>) for the
    /// caller to push or write to any destination; false when the tool keeps the image in its own store and pushes it itself.
    /// </summary>
    bool ReturnsImages { get; }

    /// <summary>Checks that the tool is installed and (for docker) that a daemon answers.</summary>
    Task<BackendAvailability> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Builds the image and, for <see cref="BackendOutput.Registry"/>, pushes every tag (or, when <see cref="ReturnsImages"/>, returns the images).</summary>
    /// <exception cref="Diagnostics.DockyardException">The tool is missing, the daemon unreachable, a login, the build or a push failed (the message carries the tool's last output lines, masked).</exception>
    Task<BackendBuildResult> BuildAsync(BackendBuildRequest request, CancellationToken cancellationToken = default);
}
