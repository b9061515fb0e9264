using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.Locations;
using Xunit;

namespace Dockyard.Tests.Images;

/// <summary>The one location parser every front uses.</summary>
public sealed class ImageLocationTests
{
    [Theory]
    [InlineData("127.0.0.1:5000/a:1", ImageLocationKind.Registry, null, null, "127.0.0.1:5000/a:1")]
    [InlineData("docker://127.0.0.1:5000/a:1", ImageLocationKind.Registry, null, null, "127.0.0.1:5000/a:1")]
    [InlineData("alpine", ImageLocationKind.Registry, null, null, "docker.io/library/alpine:latest")]
    [InlineData("oci:out:1", ImageLocationKind.Oci, "out", "1", null)]
    [InlineData("oci:/tmp/a:b/layout", ImageLocationKind.Oci, "/tmp/a:b/layout", null, null)]
    [InlineData("oci-archive:x.tar:v2", ImageLocationKind.OciArchive, "x.tar", "v2", null)]
    [InlineData("docker-archive:x.tar", ImageLocationKind.DockerArchive, "x.tar", null, null)]
    [InlineData("docker-archive:x.tar:registry:5000/app:1", ImageLocationKind.DockerArchive, "x.tar", "registry:5000/app:1", null)]
    [InlineData("docker-daemon:app:1", ImageLocationKind.DockerDaemon, null, null, "docker.io/library/app:1")]
    [InlineData("local:team/app", ImageLocationKind.Local, null, null, "docker.io/team/app:latest")]
    [InlineData("local:127.0.0.1:5000/app:1", ImageLocationKind.Local, null, null, "127.0.0.1:5000/app:1")]
    public void EveryTransportParses(string text, ImageLocationKind kind, string? path, string? tag, string? reference)
    {
        var location = ImageLocation.Parse(text);
        Assert.Equal(kind, location.Kind);
        Assert.Equal(path, location.Path);
        Assert.Equal(tag, location.Tag);
        Assert.Equal(reference, location.Reference?.ToString());
        Assert.Equal(text, location.ToString());
    }

    [Theory]
    [InlineData("", "no location given")]
    [InlineData("oci:", "no path")]
    [InlineData("docker-archive::x:1", "no path")]
    [InlineData("local:UPPER", "is not a valid image reference")]
    [InlineData("alpine@sha256:123", "is not a valid image reference")]
    public void BadLocationsAreOneClearError(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<DockyardException>(() => ImageLocation.Parse(text, "the source")).Message);

    [Theory]
    [InlineData("user:planted-pass@registry.example/app:1")]
    [InlineData("deploy:planted-pass@registry.example:5000/group/app")]
    public void UserInfoIsRefusedNeutrallyWithTheCredentialsSetting(string text)
    {
        var error = Record.Exception(() => ImageLocation.Parse(text, "the source"));
        var user = Assert.IsType<DockyardException>(error);
        Assert.DoesNotContain("planted-pass", user.Message);
        Assert.DoesNotContain("--", user.Message);
        Assert.Equal(Setting.Credentials, user.Setting);
    }

    [Fact]
    public void ReferenceParseRefusesUserInfoNeutrallyWithTheCredentialsSetting()
    {
        var user = Assert.Throws<DockyardException>(() => Dockyard.Registries.References.ImageReference.Parse("user:planted-pass@registry.example/app:1"));
        Assert.Contains("user info", user.Message);
        Assert.DoesNotContain("planted-pass", user.Message);
        Assert.DoesNotContain("--username", user.Message);
        Assert.Equal(Setting.Credentials, user.Setting);
    }

    [Theory]
    [InlineData("sha256:../../../../etc/passwd", 1)]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", 1)]
    [InlineData("sha512:abcd", 1)]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", -1)]
    public void DescriptorsAreValidatedBeforeUse(string digest, long size)
    {
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = digest, Size = size };
        Assert.Contains("refusing the manifest", Assert.Throws<DockyardException>(() => descriptor.Validate("test")).Message);
    }
}
