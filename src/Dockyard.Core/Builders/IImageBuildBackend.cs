namespace Dockyard.Builders;

/// <summary>An engine that builds a Dockerfile in containers (docker, buildah), for what the native builder cannot do.</summary>
public interface IImageBuildBackend
{
    /// <summary>Which backend this is.</summary>
    BackendKind Kind { get; }

    /// <summary>Checks that the tool is installed and (for docker) that a daemon answers.</summary>
    Task<BackendAvailability> ProbeAsync(CancellationToken cancellationToken = default);

    /// <summary>Builds the image and, for <see cref="BackendOutput.Registry"/>, pushes every tag.</summary>
    /// <exception cref="Diagnostics.DockyardException">The tool is missing, the daemon unreachable, a login, the build or a push failed (the message carries the tool's last output lines, masked).</exception>
    Task<BackendBuildResult> BuildAsync(BackendBuildRequest request, CancellationToken cancellationToken = default);
}
