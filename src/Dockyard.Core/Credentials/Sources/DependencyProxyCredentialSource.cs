namespace Dockyard.Credentials.Sources;

/// <summary>
/// The job's credentials for GitLab's dependency proxy (<c>$CI_DEPENDENCY_PROXY_SERVER</c>):
/// <c>CI_DEPENDENCY_PROXY_USER</c>/<c>CI_DEPENDENCY_PROXY_PASSWORD</c>, else <c>gitlab-ci-token</c> + <c>CI_JOB_TOKEN</c>.
/// </summary>
internal sealed class DependencyProxyCredentialSource(CredentialEnvironment environment) : ICredentialSource
{
    public CredentialSourceKind Kind => CredentialSourceKind.GitLabDependencyProxy;

    public string Name => "GitLab dependency proxy credentials";

    public string? Location => "$CI_DEPENDENCY_PROXY_SERVER";

    public Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        if (environment.Get("CI_DEPENDENCY_PROXY_SERVER") is not { } server)
        {
            return Task.FromResult(SourceAnswer.Absent("CI_DEPENDENCY_PROXY_SERVER is not set"));
        }

        var proxy = RegistryName.Canonicalize(server);
        if (proxy != registry)
        {
            return Task.FromResult(SourceAnswer.NoMatch($"CI_DEPENDENCY_PROXY_SERVER is {proxy}"));
        }

        if (environment.Get("CI_DEPENDENCY_PROXY_USER") is { } user && environment.Get("CI_DEPENDENCY_PROXY_PASSWORD") is { } password)
        {
            var credential = new RegistryCredential(user, password, null, null, "CI_DEPENDENCY_PROXY_USER/CI_DEPENDENCY_PROXY_PASSWORD");
            return Task.FromResult(SourceAnswer.Answered(credential, "CI_DEPENDENCY_PROXY_USER and CI_DEPENDENCY_PROXY_PASSWORD"));
        }

        if (environment.Get("CI_JOB_TOKEN") is { } jobToken)
        {
            var jobUser = GitLabJobCredentialSource.JobTokenUser;
            var credential = new RegistryCredential(jobUser, jobToken, null, null, $"{jobUser}/CI_JOB_TOKEN");
            return Task.FromResult(SourceAnswer.Answered(credential, $"{jobUser} with CI_JOB_TOKEN"));
        }

        return Task.FromResult(SourceAnswer.NoMatch("server matches, but neither CI_DEPENDENCY_PROXY_USER/PASSWORD nor CI_JOB_TOKEN is set"));
    }
}
