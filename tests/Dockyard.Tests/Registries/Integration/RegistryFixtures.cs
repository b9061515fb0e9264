using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>Starts one real registry per test class (xunit class fixture) and stops it afterwards.</summary>
public abstract class RegistryFixture(RegistryServerOptions options) : IAsyncLifetime
{
    /// <summary>The running registry.</summary>
    public RegistryServer Server { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Server = await RegistryServer.StartAsync(options);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>An anonymous registry over plain HTTP.</summary>
public sealed class AnonymousRegistryFixture() : RegistryFixture(new RegistryServerOptions());

/// <summary>An htpasswd (Basic) registry over plain HTTP.</summary>
public sealed class BasicRegistryFixture() : RegistryFixture(new RegistryServerOptions { Auth = RegistryAuth.Basic });

/// <summary>A token-auth registry with an in-process GitLab-like token server.</summary>
public sealed class TokenRegistryFixture() : RegistryFixture(new RegistryServerOptions { Auth = RegistryAuth.Token });

/// <summary>An htpasswd registry behind HTTPS with a test CA.</summary>
public sealed class TlsRegistryFixture() : RegistryFixture(new RegistryServerOptions { Tls = true, Auth = RegistryAuth.Basic });
