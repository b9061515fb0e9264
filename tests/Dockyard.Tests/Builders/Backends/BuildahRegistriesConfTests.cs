using Dockyard.Builders.Buildah;
using Dockyard.Processes;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>The private registries.conf that carries insecure registries to buildah one by one.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildahRegistriesConfTests
{
    [Fact]
    public void ListsEachInsecureRegistryAndNoOther()
    {
        using var directory = PrivateDirectory.Create("conf-test");
        var options = new BuildahOptions { InsecureRegistries = ["registry.corp:5000"] };

        var path = BuildahRegistriesConf.Write(directory, ["registry.corp:5000", "127.0.0.1:5001", "ghcr.io"], options);

        var text = File.ReadAllText(path!);
        Assert.Contains("[[registry]]\nlocation = \"registry.corp:5000\"\ninsecure = true\n", text, StringComparison.Ordinal);
        Assert.Contains("[[registry]]\nlocation = \"127.0.0.1:5001\"\ninsecure = true\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ghcr.io", text, StringComparison.Ordinal);
        Assert.Contains("unqualified-search-registries = [\"docker.io\"]", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path!));
    }

    [Fact]
    public void IsNotWrittenWhenEveryRegistryVerifiesTls()
    {
        using var directory = PrivateDirectory.Create("conf-test");
        Assert.Null(BuildahRegistriesConf.Write(directory, ["ghcr.io", "registry.gitlab.com"], new BuildahOptions()));
    }
}
