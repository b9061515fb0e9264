using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Stores;
using Dockyard.Processes;
using Dockyard.UseCases.Build;
using Microsoft.Extensions.Logging;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// What one container command of a shell job works with, read from the <c>DOCKYARD_JOB_*</c> variables the job's shims
/// were given: the job's image store and login file, the PATH without the shims (where the real tools are), and a host
/// whose environment has that PATH and no <c>DOCKER_HOST</c> pointing at a <c>docker:dind</c> service nobody started.
/// </summary>
internal sealed class ContainerJob
{
    /// <summary>The hostnames a <c>docker:dind</c> service is reached at in GitLab's docs (<c>tcp://docker:2375</c>, <c>:2376</c>).</summary>
    private static readonly string[] DindHosts = ["docker", "docker-dind", "dind"];

    private ContainerJob(HostContext host, string jobName, LocalImageStore store, JobCredentialsFile credentials, string originalPath, TextReader input, TextWriter output, string? localRegistry)
    {
        LocalRegistry = localRegistry;
        Host = host;
        JobName = jobName;
        Store = store;
        Credentials = credentials;
        OriginalPath = originalPath;
        Input = input;
        Output = output;
    }

    /// <summary>The host for the use cases: the job's environment with the original PATH.</summary>
    public HostContext Host { get; }

    /// <summary>The job's name (<c>CI_JOB_NAME</c>), for messages.</summary>
    public string JobName { get; }

    /// <summary>In a local run, the registry (<c>$CI_REGISTRY</c>) that stands for the user's local image store; else <c>null</c>.</summary>
    public string? LocalRegistry { get; }

    /// <summary>Whether <paramref name="registry"/> is the local run's <c>$CI_REGISTRY</c> (the local image store).</summary>
    public bool IsLocalRegistry(string registry) =>
        LocalRegistry is not null && string.Equals(registry, LocalRegistry, StringComparison.OrdinalIgnoreCase);

    /// <summary>The job's own image store (what <c>build</c> and <c>pull</c> made).</summary>
    public LocalImageStore Store { get; }

    /// <summary>The job's private directory the store lives in (removed with the job): spooled archives, manifest lists.</summary>
    public string PrivateDirectory => Path.GetDirectoryName(Store.Root) ?? Store.Root;

    /// <summary>The job's logins (<c>docker login</c>).</summary>
    public JobCredentialsFile Credentials { get; }

    /// <summary>The job's PATH without the shims.</summary>
    public string OriginalPath { get; }

    /// <summary>The command's standard input (<c>--password-stdin</c>).</summary>
    public TextReader Input { get; }

    /// <summary>The command's standard output (what scripts read: IDs, tables).</summary>
    public TextWriter Output { get; }

    /// <summary>The real docker and buildah on the original PATH, for a build the native builder hands over.</summary>
    public BuildTools Tools => new()
    {
        Docker = FindTool("docker") ?? "docker",
        Buildah = FindTool("buildah") ?? "buildah",
    };

    /// <summary>The real <paramref name="tool"/> on the original PATH, or <c>null</c>.</summary>
    public string? FindTool(string tool) => ExecutableLookup.Find(tool, OriginalPath);

    /// <summary>A line on standard error (progress and notes, as docker prints them there).</summary>
    public void Note(string message) => Host.Logger.LogInformation("{Message}", message);

    /// <summary>A warning on standard error.</summary>
    public void Warn(string message) => Host.Logger.LogWarning("{Message}", message);

    /// <summary>Reads the job's state from <paramref name="host"/>'s environment.</summary>
    /// <exception cref="DockyardException">The command was not started by a job's shim.</exception>
    public static ContainerJob FromHost(HostContext host, TextReader input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(host);
        var store = host.Get(ContainerShims.StoreVariable);
        var credentials = host.Get(ContainerShims.CredentialsVariable);
        if (store is null || credentials is null)
            throw new DockyardException($"'dockyard container' carries out the docker/buildah/podman lines of a job run by 'dockyard ci run' ({ContainerShims.StoreVariable} and " +
                $"{ContainerShims.CredentialsVariable} are not set); run the job with 'dockyard ci run', or use 'dockyard build' and 'dockyard image' directly.");
        var originalPath = host.Variables.GetValueOrDefault(ContainerShims.OriginalPathVariable) ?? "";
        var variables = new Dictionary<string, string>(host.Variables, StringComparer.Ordinal) { ["PATH"] = originalPath };
        if (variables.TryGetValue("DOCKER_HOST", out var dockerHost) && IsDindService(dockerHost))
        {
            foreach (var name in new[] { "DOCKER_HOST", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH", "DOCKER_TLS_CERTDIR" }) variables.Remove(name);
        }
        return new ContainerJob(host.WithVariables(variables), host.Get("CI_JOB_NAME") ?? "job", new LocalImageStore(store), new JobCredentialsFile(credentials), originalPath, input, output,
            host.Get(ContainerShims.LocalRegistryVariable) is { Length: > 0 } local ? local : null);
    }

    /// <summary>Whether <c>DOCKER_HOST</c> names the <c>docker:dind</c> service of GitLab's docs (which the shell executor does not start).</summary>
    internal static bool IsDindService(string dockerHost) =>
        Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri) && uri.Scheme == "tcp" && DindHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);
}
