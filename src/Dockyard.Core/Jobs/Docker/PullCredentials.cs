using Docker.DotNet.Models;
using Dockyard.Credentials;
using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Variables;
using Dockyard.Registries.References;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// The credentials the docker executor hands the daemon for pulling a job's images, found as GitLab Runner finds them:
/// the core's credential chain asked for the image's registry in the pull direction, with the job's
/// <c>DOCKER_AUTH_CONFIG</c> over the host environment's. The job's value is the one its steps get (the runner's
/// <c>GetAllVariables().Value</c>): expanded, in the job variables' precedence (<c>--variable</c> over the variables
/// file over dotenv reports over the YAML <c>variables:</c>), a file variable's content. The log names the source,
/// never the secret; every secret found is added to the host's masker.
/// </summary>
internal sealed class PullCredentials
{
    private const string AuthConfigVariable = "DOCKER_AUTH_CONFIG";
    private readonly CredentialChain _chain;

    public PullCredentials(JobRunContext run, JobEnvironment job)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(job);
        var environment = run.Host.CredentialEnvironment;
        if (job.ValueOf(AuthConfigVariable) is { Length: > 0 } given) environment = environment.With(AuthConfigVariable, given);
        _chain = new CredentialChain(new CredentialChainOptions { Explicit = [.. run.Host.Credentials.All], Masker = run.Host.Masker }, environment);
    }

    /// <summary>The registry an image name pulls from (<c>docker.io</c> for Docker Hub names).</summary>
    public static string RegistryOf(string image) =>
        ImageReference.TryParse(image, out var reference, out _) ? reference.Registry : RegistryName.DockerHub;

    /// <summary>The daemon's auth for pulling <paramref name="image"/>, or <c>null</c> when no source has a credential for its registry.</summary>
    public async Task<AuthConfig?> ForAsync(string image, JobTrace trace, CancellationToken cancellation)
    {
        var registry = RegistryOf(image);
        var credential = await _chain.GetAsync(registry, RegistryAccess.Pull, cancellation).ConfigureAwait(false);
        if (credential is null) return null;
        trace.Line($"Authenticating with credentials from {credential.Source}");
        return new AuthConfig
        {
            ServerAddress = RegistryName.ConfigKeyFor(registry),
            Username = credential.Username,
            Password = credential.Password,
            IdentityToken = credential.IdentityToken,
            RegistryToken = credential.RegistryToken,
        };
    }
}
