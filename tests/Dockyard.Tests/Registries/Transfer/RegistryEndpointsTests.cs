using Dockyard.Registries;
using Dockyard.Registries.Transport;

namespace Dockyard.Tests.Registries.Transfer;

public class RegistryEndpointsTests
{
    [Theory]
    [InlineData("registry.example.com", "https://registry.example.com/")]
    [InlineData("docker.io", "https://registry-1.docker.io/")]
    [InlineData("registry.example.com:5000", "https://registry.example.com:5000/")]
    public async Task Remote_registries_use_https_without_probing(string registry, string expected)
    {
        var options = new RegistryClientOptions();
        using var pool = new HttpClientPool(options);
        var endpoints = new RegistryEndpoints(pool, options);
        Assert.Equal(new Uri(expected), await endpoints.ResolveAsync(registry, CancellationToken.None));
        Assert.False(endpoints.AllowsPlainHttp(registry));
    }

    [Theory]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("localhost:5000", true)]
    [InlineData("build-cache.internal:5000", true)]  // listed insecure below
    [InlineData("BUILD-CACHE.internal:5000", true)]
    [InlineData("build-cache.internal:5001", false)] // another port is another registry
    public void Plain_http_only_for_loopback_or_listed_registries(string registry, bool allowed)
    {
        var options = new RegistryClientOptions { InsecureRegistries = ["build-cache.internal:5000"] };
        using var pool = new HttpClientPool(options);
        Assert.Equal(allowed, new RegistryEndpoints(pool, options).AllowsPlainHttp(registry));
    }

    [Fact]
    public async Task Unreachable_loopback_registry_is_one_error_naming_both_urls()
    {
        var port = Dockyard.Tests.Infrastructure.FreePort.Next();
        var options = new RegistryClientOptions();
        using var pool = new HttpClientPool(options);
        var error = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() =>
            new RegistryEndpoints(pool, options).ResolveAsync($"127.0.0.1:{port}", CancellationToken.None));
        Assert.Contains($"https://127.0.0.1:{port}/v2/", error.Message);
        Assert.Contains($"http://127.0.0.1:{port}/v2/", error.Message);
        Assert.Contains("Check the host and port", error.Message);
    }
}
