using Cake.Core;
using Cake.Core.Annotations;
using Dockyard.Cake.Hosting;
using Dockyard.Cake.Registries;
using Dockyard.Credentials;
using Dockyard.Credentials.Explanation;
using Dockyard.UseCases;

namespace Dockyard.Cake.Aliases;

/// <summary>Which credential a registry gets, and the GitLab registry of the current job.</summary>
[CakeAliasCategory("Dockyard")]
[CakeNamespaceImport("Dockyard.Cake.Registries")]
public static class DockyardCredentialAliases
{
    /// <summary>Says which source answers for <paramref name="server"/> (as <c>dockyard auth explain</c>), never the secret; logs the explanation.</summary>
    /// <example><code>var why = DockyardExplainCredentials("registry.gitlab.com", push: true);</code></example>
    [CakeMethodAlias]
    public static CredentialExplanation DockyardExplainCredentials(this ICakeContext context, string server, bool push = false) =>
        CakeCall.Run(context, async (host, session, cancellationToken) =>
        {
            var explanation = await CredentialExplain.RunAsync(host, new CredentialExplainRequest { Registry = server, Access = push ? RegistryAccess.Push : RegistryAccess.Pull }, cancellationToken);
            session.Logger(context).Information(explanation.ToText().TrimEnd());
            return explanation;
        });

    /// <summary>The GitLab registry of the current job (<c>CI_REGISTRY</c>, <c>CI_REGISTRY_IMAGE</c>, user, whether a token is there).</summary>
    /// <example><code>if (GitLabRegistry.IsAvailable) DockyardPush(GitLabRegistry.Image + ":latest");</code></example>
    [CakePropertyAlias(Cache = true)]
    public static GitLabRegistry GitLabRegistry(this ICakeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        string? Get(string name) => context.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
        return new GitLabRegistry(Get("CI_REGISTRY"), Get("CI_REGISTRY_IMAGE"), Get("CI_REGISTRY_USER"), Get("CI_JOB_TOKEN") is not null || Get("CI_REGISTRY_PASSWORD") is not null);
    }
}
