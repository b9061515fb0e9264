using Dockyard.Credentials;

namespace Dockyard.Tests.Credentials;

public class RegistryNameTests
{
    [Theory]
    [InlineData("docker.io", "docker.io")]
    [InlineData("index.docker.io", "docker.io")]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry-1.docker.io", "docker.io")]
    [InlineData("Registry.Example.com:5000", "registry.example.com:5000")]
    [InlineData("https://registry.example.com/v2/", "registry.example.com")]
    [InlineData("registry.example.com/group/project", "registry.example.com")]
    [InlineData("http://localhost:5000", "localhost:5000")]
    public void Canonicalizes_what_users_and_variables_name(string input, string expected) =>
        Assert.Equal(expected, RegistryName.Canonicalize(input));

    [Theory]
    [InlineData("docker.io", "https://index.docker.io/v1/")]
    [InlineData("registry.example.com:5000", "registry.example.com:5000")]
    public void Maps_canonical_names_to_docker_config_keys(string registry, string key) =>
        Assert.Equal(key, RegistryName.ConfigKeyFor(registry));

    [Theory]
    [InlineData("https://registry.example.com/v1/", "registry.example.com", true)]
    [InlineData("registry.example.com:5000", "registry.example.com", false)]
    [InlineData("registry.example.com", "registry.example.com:5000", false)]
    [InlineData("index.docker.io", "docker.io", true)]
    public void Compares_keys_by_host_and_port_only(string key, string registry, bool matches) =>
        Assert.Equal(matches, RegistryName.KeyMatches(key, registry));
}
