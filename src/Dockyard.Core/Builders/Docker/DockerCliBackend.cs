using Dockyard.Processes;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Builders.Docker;

/// <summary>
/// Builds with the docker CLI against a Docker daemon (<c>DOCKER_HOST</c> honoured): <c>docker build</c> with
/// <c>-f</c>, <c>--target</c>, <c>--build-arg</c>, <c>--label</c>, <c>-t</c> and <c>--platform</c>, then <c>docker push</c> of
/// every tag. Credentials come from an <see cref="ICredentialProvider"/> and go into a temporary <c>DOCKER_CONFIG</c>
/// through <c>docker login --password-stdin</c>; that directory is deleted whatever happens.
/// </summary>
public sealed class DockerCliBackend(ICredentialProvider credentials, DockerCliOptions? options = null) : IImageBuildBackend
{
    private const string Install = "install the docker CLI (Debian: apt-get install docker.io; or docker-ce-cli from download.docker.com)";

    /// <summary>The settings.</summary>
    public DockerCliOptions Options { get; } = options ?? new DockerCliOptions();

    /// <inheritdoc />
    public bool ReturnsImages => false;

    /// <inheritdoc />
    public BackendKind Kind => BackendKind.Docker;

    /// <inheritdoc />
    public async Task<BackendAvailability> ProbeAsync(CancellationToken cancellationToken = default) => (await CheckAsync(cancellationToken)).Availability;

    /// <summary>
    /// Finds the daemon (<c>DOCKER_HOST</c>, else the endpoint of the current docker context, else docker's default socket)
    /// and asks it for its version.
    /// </summary>
    private async Task<(BackendAvailability Availability, string Address)> CheckAsync(CancellationToken cancellationToken)
    {
        var executable = Options.Locate();
        if (executable is null) return (BackendAvailability.Missing($"the docker CLI ('{Options.Executable}') is not on PATH", Install), DockerCliOptions.DefaultDaemonAddress);
        var cli = new DockerCli(Options, executable, new SecretMasker());
        var address = Options.Variable("DOCKER_HOST");
        if (string.IsNullOrEmpty(address))
        {
            var context = await cli.RunAsync(["context", "inspect", "--format", "{{.Endpoints.docker.Host}}"], null, cancellationToken, timeout: Options.ProbeTimeout, log: false);
            address = context.Succeeded && context.LastLines.LastOrDefault() is { Length: > 0 } host ? host.Trim() : DockerCliOptions.DefaultDaemonAddress;
        }

        var result = await cli.RunAsync(["version", "--format", "{{.Server.Version}}"], null, cancellationToken, timeout: Options.ProbeTimeout, log: false);
        var version = result.LastLines.LastOrDefault()?.Trim();
        var availability = result.Succeeded && !string.IsNullOrEmpty(version)
            ? BackendAvailability.Available($"Docker daemon {version} at {address}")
            : BackendAvailability.Missing(
                $"no Docker daemon answers at {address}" + (result.TimedOut ? " (timed out)" : $":\n{result.Tail(5)}"),
                "start dockerd, or set DOCKER_HOST to a daemon that is running (in GitLab CI: a docker:dind service)");
        return (availability, address);
    }

    /// <summary>
    /// Loads a <c>docker load</c>-compatible archive (<see cref="Images.DockerArchive.DockerArchiveSink"/>) into the daemon
    /// (<c>--output type=docker</c> of a native build) and returns docker's own lines (<c>Loaded image: …</c>).
    /// </summary>
    /// <exception cref="DockyardException">No daemon answers, or docker refuses the archive.</exception>
    public async Task<IReadOnlyList<string>> LoadAsync(string archivePath, CancellationToken cancellationToken = default)
    {
        var (availability, _) = await CheckAsync(cancellationToken);
        if (!availability.IsAvailable)
            throw new DockyardException($"--output type=docker: {availability.Detail}\nTo fix: {availability.Remedy}, or write type=docker-archive,dest=FILE instead.");
        var docker = new DockerCli(Options, Options.Locate()!, new SecretMasker());
        var load = await docker.RunAsync(["load", "-i", archivePath], null, cancellationToken);
        if (!load.Succeeded)
            throw new DockyardException($"docker load of the built image failed (exit {load.ExitCode}). Last lines:\n{load.Tail()}");
        return load.LastLines.Where(l => l.StartsWith("Loaded image", StringComparison.Ordinal)).ToList();
    }

    /// <inheritdoc />
    public async Task<BackendBuildResult> BuildAsync(BackendBuildRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate("docker backend");
        var (availability, address) = await CheckAsync(cancellationToken);
        if (!availability.IsAvailable)
            throw new DockyardException($"docker backend: {availability.Detail}\nTo fix: {availability.Remedy}, or choose the buildah or native backend.") { Setting = Setting.Backend };

        var masker = new SecretMasker();
        var docker = new DockerCli(Options, Options.Locate()!, masker, address);
        using var config = await TemporaryDockerConfig.CreateAsync(docker, request.RegistriesByAccess, credentials, masker, cancellationToken);

        var (arguments, environment) = DockerBuildCommand.For(request);
        var build = await docker.RunAsync(arguments, config.Path, cancellationToken, environment);
        if (!build.Succeeded)
            throw new DockyardException(
                $"docker build of {request.ResolvedDockerfile}{(request.Target is null ? "" : $" (target {request.Target})")} failed (exit {build.ExitCode}). Last lines:\n{build.Tail()}");

        var pushed = new List<PushedTag>();
        if (request.Output == BackendOutput.Registry)
        {
            foreach (var tag in request.Tags)
            {
                var push = await docker.RunAsync(["push", tag.ToString()], config.Path, cancellationToken);
                if (!push.Succeeded)
                    throw new DockyardException(
                        $"docker push {tag} failed (exit {push.ExitCode}). Last lines:\n{push.Tail()}\n" +
                        $"Check that a credential for {tag.Registry} allows push (dockyard auth explain {tag.Registry}).");
                pushed.Add(new PushedTag(tag, PushDigest.Find(string.Join('\n', push.LastLines))));
            }
        }
        return new BackendBuildResult(BackendKind.Docker, request.Tags, pushed);
    }
}
