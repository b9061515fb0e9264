namespace Dockyard.Credentials;

/// <summary>What the credentials are for; selects which of the SDK's environment variables apply.</summary>
public enum RegistryAccess
{
    /// <summary>Pushing the output image (SDK: <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c>, then the generic and legacy names).</summary>
    Push,

    /// <summary>Pulling a base image (SDK: <c>DOTNET_CONTAINER_PULL_REGISTRY_*</c> only, plus the generic names on the output registry).</summary>
    Pull,
}
