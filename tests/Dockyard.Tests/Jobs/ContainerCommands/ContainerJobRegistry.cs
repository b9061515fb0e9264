using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// One htpasswd registry for the container-command pipelines, with the tests' busybox base image pushed to it
/// (<c>HOST/base/busybox:1</c>): jobs log in with <c>CI_REGISTRY_USER</c>/<c>CI_REGISTRY_PASSWORD</c> and build FROM it.
/// </summary>
public sealed class ContainerJobRegistry : IAsyncLifetime
{
    public RegistryServer Registry { get; private set; } = null!;

    public string BaseImage => $"{Registry.Host}/base/busybox:1";

    public async Task InitializeAsync()
    {
        Registry = await RegistryServer.StartAsync(new RegistryServerOptions { Auth = RegistryAuth.Basic });
        using var client = Registry.CreateClient();
        await TestImages.Create("base for container jobs").PushAsync(client, Registry.Reference("base/busybox:1"));
    }

    public async Task DisposeAsync() => await Registry.DisposeAsync();
}
