using Dockyard.Credentials;

namespace Dockyard.Tests.Infrastructure;

/// <summary>Unique repository names, so tests sharing one registry never collide.</summary>
public static class TestNames
{
    /// <summary><c>&lt;name&gt;-&lt;8 hex&gt;</c>.</summary>
    public static string Repository(string name) => $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)];
}

/// <summary>Answers the same credential for every registry (to drive identity tokens, registry tokens and the like).</summary>
public sealed class StaticCredentialProvider(RegistryCredential credential) : ICredentialProvider
{
    /// <inheritdoc />
    public ValueTask<RegistryCredential?> GetAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RegistryCredential?>(credential);
}
