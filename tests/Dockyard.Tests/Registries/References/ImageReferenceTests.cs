using Dockyard.Diagnostics;
using Dockyard.Registries.References;

namespace Dockyard.Tests.Registries.References;

public class ImageReferenceTests
{
    private const string Hex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("alpine:3.20", "docker.io", "library/alpine", "3.20", null, "docker.io/library/alpine:3.20")]
    [InlineData("bitnami/redis", "docker.io", "bitnami/redis", "latest", null, "docker.io/bitnami/redis:latest")]
    [InlineData("index.docker.io/library/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("docker.io/alpine", "docker.io", "library/alpine", "latest", null, "docker.io/library/alpine:latest")]
    [InlineData("localhost/app", "localhost", "app", "latest", null, "localhost/app:latest")]
    [InlineData("localhost:5000/a/b:1", "localhost:5000", "a/b", "1", null, "localhost:5000/a/b:1")]
    [InlineData("Registry.Example.COM/team/app:V1", "registry.example.com", "team/app", "V1", null, "registry.example.com/team/app:V1")]
    [InlineData("registry.gitlab.com/group/sub/project/image:1.0-rc.1", "registry.gitlab.com", "group/sub/project/image", "1.0-rc.1", null, "registry.gitlab.com/group/sub/project/image:1.0-rc.1")]
    [InlineData("[::1]:5000/app:x", "[::1]:5000", "app", "x", null, "[::1]:5000/app:x")]
    [InlineData("a__b/c-d.e:t", "docker.io", "a__b/c-d.e", "t", null, "docker.io/a__b/c-d.e:t")]
    public void Normalises_like_docker(string text, string registry, string repository, string? tag, string? digest, string formatted)
    {
        var reference = ImageReference.Parse(text);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest?.ToString());
        Assert.Equal(formatted, reference.ToString());
    }

    [Fact]
    public void Digest_only_has_no_default_tag_and_tag_plus_digest_keeps_both()
    {
        var byDigest = ImageReference.Parse($"localhost:5000/a/b@sha256:{Hex}");
        Assert.Null(byDigest.Tag);
        Assert.Equal($"sha256:{Hex}", byDigest.Reference);

        var both = ImageReference.Parse($"alpine:3.20@sha256:{Hex}");
        Assert.Equal("3.20", both.Tag);
        Assert.Equal($"sha256:{Hex}", both.Reference);
        Assert.Equal($"docker.io/library/alpine:3.20@sha256:{Hex}", both.ToString());
    }

    [Theory]
    [InlineData("docker.io", "registry-1.docker.io")]
    [InlineData("index.docker.io", "registry-1.docker.io")]
    [InlineData("https://index.docker.io/v1/", "registry-1.docker.io")]
    [InlineData("registry.gitlab.com", "registry.gitlab.com")]
    [InlineData("LOCALHOST:5000", "localhost:5000")]
    public void Api_host_of_docker_hub_is_registry_1(string registry, string apiHost) =>
        Assert.Equal(apiHost, RegistryHost.ApiHost(registry));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("Alpine", "lower-case")]
    [InlineData("host.io/Team/app", "lower-case")]
    // found by the image-reference fuzz target (tests/Dockyard.Fuzz/corpus/image-reference/uppercase-host): lower-cased,
    // the host would have named the Docker Hub repository docker.io/locauhost/app
    [InlineData("locaUhost/app", "'locaUhost' is a registry host only because of its upper-case letters")]
    [InlineData("alpine:", "tag '' is invalid")]
    [InlineData("alpine:-x", "tag '-x' is invalid")]
    [InlineData("alpine@sha256:abc", "not a digest")]
    [InlineData("host.io/", "repository name is empty")]
    [InlineData("a//b", "is invalid")]
    [InlineData("a/b-", "is invalid")]
    [InlineData("-host.io/app", "registry '-host.io' is not a valid")]
    public void Invalid_references_name_the_reference_and_the_problem(string text, string expected)
    {
        var error = Assert.Throws<DockyardException>(() => ImageReference.Parse(text));
        Assert.StartsWith($"'{text}' is not a valid image reference: ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Tag_longer_than_128_characters_is_refused()
    {
        Assert.True(ImageReference.TryParse("app:" + new string('a', 128), out _, out _));
        Assert.False(ImageReference.TryParse("app:" + new string('a', 129), out _, out var error));
        Assert.Contains("1-128", error);
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("127.1.2.3", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.localhost", true)]
    [InlineData("registry.example.com", false)]
    [InlineData("10.0.0.1:5000", false)]
    public void Loopback_registries_are_recognised(string registry, bool loopback) =>
        Assert.Equal(loopback, RegistryHost.IsLoopback(registry));
}
