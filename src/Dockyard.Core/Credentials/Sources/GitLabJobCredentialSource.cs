namespace Dockyard.Credentials.Sources;

/// <summary>
/// The job's own credentials for <c>$CI_REGISTRY</c>: <c>CI_REGISTRY_USER</c>/<c>CI_REGISTRY_PASSWORD</c>, else
/// <c>gitlab-ci-token</c> + <c>CI_JOB_TOKEN</c>, else the deploy token <c>CI_DEPLOY_USER</c>/<c>CI_DEPLOY_PASSWORD</c>.
/// </summary>
internal sealed class GitLabJobCredentialSource(CredentialEnvironment environment) : ICredentialSource
{
    /// <summary>The user name GitLab accepts with a job token.</summary>
    public const string JobTokenUser = "gitlab-ci-token";

    public CredentialSourceKind Kind => CredentialSourceKind.GitLabJob;

    public string Name => "GitLab job credentials";

    public string? Location => "$CI_REGISTRY";

    public Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken) =>
        Task.FromResult(Lookup(registry));

    private SourceAnswer Lookup(string registry)
    {
        if (environment.Get("CI_REGISTRY") is not { } ciRegistry)
        {
            return SourceAnswer.Absent("CI_REGISTRY is not set (not a GitLab job, or the registry is disabled)");
        }

        var jobRegistry = RegistryName.Canonicalize(ciRegistry);
        if (jobRegistry != registry)
        {
            return SourceAnswer.NoMatch($"CI_REGISTRY is {jobRegistry}");
        }

        if (Pair("CI_REGISTRY_USER", "CI_REGISTRY_PASSWORD") is { } registryUser)
        {
            return registryUser;
        }

        if (environment.Get("CI_JOB_TOKEN") is { } jobToken)
        {
            var credential = new RegistryCredential(JobTokenUser, jobToken, null, null, $"{JobTokenUser}/CI_JOB_TOKEN");
            return SourceAnswer.Answered(credential, $"{JobTokenUser} with CI_JOB_TOKEN");
        }

        return Pair("CI_DEPLOY_USER", "CI_DEPLOY_PASSWORD")
            ?? SourceAnswer.NoMatch("CI_REGISTRY matches, but none of CI_REGISTRY_USER/CI_REGISTRY_PASSWORD, CI_JOB_TOKEN, CI_DEPLOY_USER/CI_DEPLOY_PASSWORD is set");
    }

    private SourceAnswer? Pair(string userVariable, string passwordVariable) =>
        environment.Get(userVariable) is { } user && environment.Get(passwordVariable) is { } password
            ? SourceAnswer.Answered(
                new RegistryCredential(user, password, null, null, $"{userVariable}/{passwordVariable}"),
                $"{userVariable} and {passwordVariable}")
            : null;
}
