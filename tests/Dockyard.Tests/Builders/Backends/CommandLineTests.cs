using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Builders.Docker;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>The command lines the backends give docker and buildah.</summary>
public sealed class CommandLineTests
{
    private static BackendBuildRequest Request(params string[] pullRegistries) => new()
    {
        ContextDirectory = "/ctx",
        DockerfilePath = "/ctx/build/Dockerfile.app",
        Target = "final",
        BuildArguments = new Dictionary<string, string> { ["NUGET_TOKEN"] = "s3cret", ["HTTP_PROXY"] = "http://proxy:3128", ["DOCKER_TAG"] = "x", ["A"] = "" },
        Labels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1 2" },
        Tags = [ImageReference.Parse("registry.example.com/group/app:1"), ImageReference.Parse("127.0.0.1:5000/app:latest")],
        Platforms = [Platform.Parse("linux/arm64/v8")],
        PullRegistries = pullRegistries,
    };

    [Fact]
    public void DockerBuildPassesEveryOptionAndKeepsBuildArgumentValuesOffArgv()
    {
        var (arguments, environment) = DockerBuildCommand.For(Request());

        Assert.Equal(
            ["build", "-f", "/ctx/build/Dockerfile.app", "--target", "final", "--platform", "linux/arm64/v8",
             "--build-arg", "A", "--build-arg", "DOCKER_TAG=x", "--build-arg", "HTTP_PROXY=http://proxy:3128", "--build-arg", "NUGET_TOKEN",
             "--label", "a=1 2", "--label", "b=2", "-t", "registry.example.com/group/app:1", "-t", "127.0.0.1:5000/app:latest", "/ctx"],
            arguments);
        Assert.Equal(new Dictionary<string, string?> { ["A"] = "", ["NUGET_TOKEN"] = "s3cret" }, environment);
    }

    [Fact]
    public void BuildahUsesItsOwnStorageChrootIsolationAndAnAuthFile()
    {
        var options = new BuildahOptions { Root = "/tmp/r", RunRoot = "/tmp/rr" };
        var (arguments, environment) = BuildahCommands.Build(Request("127.0.0.1:5000"), options, "/tmp/auth.json");

        Assert.Equal(
            ["--root", "/tmp/r", "--runroot", "/tmp/rr", "--storage-driver", "vfs", "bud", "--isolation", "chroot", "-f", "/ctx/build/Dockerfile.app",
             "--authfile", "/tmp/auth.json", "--tls-verify=false", "--target", "final", "--platform", "linux/arm64/v8",
             "--build-arg", "A", "--build-arg", "DOCKER_TAG=x", "--build-arg", "HTTP_PROXY=http://proxy:3128", "--build-arg", "NUGET_TOKEN",
             "--label", "a=1 2", "--label", "b=2", "-t", "registry.example.com/group/app:1", "-t", "127.0.0.1:5000/app:latest", "/ctx"],
            arguments);
        Assert.Equal("s3cret", environment["NUGET_TOKEN"]);
    }

    [Theory]
    [InlineData(new[] { "127.0.0.1:5000", "localhost:5000" }, true)]
    [InlineData(new[] { "127.0.0.1:5000", "registry.example.com" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "mirror.internal:5000" }, true)]
    public void BuildahSkipsTlsVerificationOnlyWhenEveryPullRegistryIsInsecure(string[] pullRegistries, bool skips)
    {
        var options = new BuildahOptions { InsecureRegistries = ["mirror.internal:5000"] };
        var (arguments, _) = BuildahCommands.Build(Request(pullRegistries), options, "/a");
        Assert.Equal(skips, arguments.Contains("--tls-verify=false"));
        Assert.DoesNotContain("--root", arguments);
    }

    [Theory]
    [InlineData("127.0.0.1:5000/app:1", true)]
    [InlineData("localhost/app:1", true)]
    [InlineData("[::1]:5000/app:1", true)]
    [InlineData("registry.example.com/group/app:1", false)]
    public void BuildahPushSkipsTlsVerificationOnlyForLoopback(string tag, bool skips)
    {
        var reference = ImageReference.Parse(tag);
        var arguments = BuildahCommands.Push(reference, new BuildahOptions(), "/a/auth.json", "/a/digest");
        Assert.Equal(skips, arguments.Contains("--tls-verify=false"));
        Assert.Equal(["--authfile", "/a/auth.json", "--digestfile", "/a/digest"], arguments.SkipWhile(a => a != "--authfile").Take(4));
        Assert.Equal([reference.ToString(), $"docker://{reference}"], arguments.TakeLast(2));
    }

    [Fact]
    public void InvalidBuildArgumentNameIsAnError()
    {
        var request = Request() with { BuildArguments = new Dictionary<string, string> { ["A=B"] = "c" } };
        var error = Assert.Throws<DockyardException>(() => DockerBuildCommand.For(request));
        Assert.Contains("give it as NAME=VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestsAreValidatedBeforeAnyToolRuns()
    {
        using var dir = new Infrastructure.TempDirectory("validate");
        var missingDockerfile = new BackendBuildRequest { ContextDirectory = dir.Path, Tags = [ImageReference.Parse("127.0.0.1:1/x:1")] };
        Assert.Contains("Dockerfile", Assert.Throws<DockyardException>(() => missingDockerfile.Validate("docker backend")).Message, StringComparison.Ordinal);

        File.WriteAllText(dir.Combine("Dockerfile"), "FROM scratch\n");
        var noTag = missingDockerfile with { Tags = [] };
        Assert.Contains("tag REGISTRY/REPOSITORY:TAG", Assert.Throws<DockyardException>(() => noTag.Validate("docker backend")).Message, StringComparison.Ordinal);

        var twoPlatforms = missingDockerfile with { Platforms = [Platform.Parse("linux/amd64"), Platform.Parse("linux/arm64")] };
        Assert.Contains("one platform at a time", Assert.Throws<DockyardException>(() => twoPlatforms.Validate("buildah backend")).Message, StringComparison.Ordinal);

        var noContext = missingDockerfile with { ContextDirectory = dir.Combine("missing") };
        Assert.Contains("is not a directory", Assert.Throws<DockyardException>(() => noContext.Validate("docker backend")).Message, StringComparison.Ordinal);
    }
}
