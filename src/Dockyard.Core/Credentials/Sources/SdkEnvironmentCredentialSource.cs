namespace Dockyard.Credentials.Sources;

/// <summary>
/// The .NET SDK's container credential variables, asked per request as <c>Microsoft.NET.Build.Containers</c> asks
/// them (<c>GetDockerCredentialsFromEnvironment(RegistryMode)</c>): for a push <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c>,
/// then <c>DOTNET_CONTAINER_REGISTRY_*</c>, then legacy <c>SDK_CONTAINER_REGISTRY_*</c>; for a pull
/// <c>DOTNET_CONTAINER_PULL_REGISTRY_*</c> only, except on the output registry (the SDK's <c>PullFromOutput</c>)
/// where the generic and legacy names follow. A push credential never answers a pull. Like the SDK, the variables
/// name no registry: they apply to whichever registry is accessed in that direction. A pair counts only when both halves are set.
/// </summary>
internal sealed class SdkEnvironmentCredentialSource(CredentialEnvironment environment, string? outputRegistry)
    : ICredentialSource
{
    private const string Push = "DOTNET_CONTAINER_PUSH_REGISTRY_";
    private const string Pull = "DOTNET_CONTAINER_PULL_REGISTRY_";
    private const string Generic = "DOTNET_CONTAINER_REGISTRY_";
    private const string Legacy = "SDK_CONTAINER_REGISTRY_";

    public CredentialSourceKind Kind => CredentialSourceKind.SdkEnvironment;

    public string Name => "SDK environment variables";

    public string? Location => null;

    public Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        var prefixes = PrefixesFor(registry, access);
        var halfSet = new List<string>();
        foreach (var prefix in prefixes)
        {
            var user = environment.Get(prefix + "UNAME");
            var password = environment.Get(prefix + "PWORD");
            if (user is not null && password is not null)
            {
                var credential = new RegistryCredential(user, password, null, null, $"{prefix}UNAME/{prefix}PWORD");
                return Task.FromResult(SourceAnswer.Answered(credential, $"{prefix}UNAME and {prefix}PWORD"));
            }

            if (user is not null || password is not null)
            {
                halfSet.Add(user is not null ? $"{prefix}UNAME is set without {prefix}PWORD" : $"{prefix}PWORD is set without {prefix}UNAME");
            }
        }

        var consulted = string.Join(", ", prefixes.Select(p => p + "UNAME/PWORD"));
        return Task.FromResult(halfSet.Count > 0
            ? SourceAnswer.NoMatch(string.Join("; ", halfSet) + " (ignored, as the SDK does)")
            : SourceAnswer.Absent($"{consulted} not set"));
    }

    private IReadOnlyList<string> PrefixesFor(string registry, RegistryAccess access)
    {
        if (access == RegistryAccess.Push)
        {
            return [Push, Generic, Legacy];
        }

        var isOutput = outputRegistry is not null && RegistryName.Canonicalize(outputRegistry) == registry;
        return isOutput ? [Pull, Generic, Legacy] : [Pull];
    }
}
