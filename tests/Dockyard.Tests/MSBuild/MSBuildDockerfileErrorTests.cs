using System.Text.RegularExpressions;
using Dockyard.Tests.Infrastructure;
using Xunit;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// A project with a Dockerfile next to it, the packed package and the real SDK: a malformed Dockerfile line and a
/// <c>FROM</c> of an image the registry does not have each fail <c>dotnet publish -p:PublishImage=true</c> with one
/// canonical MSBuild error (<c>FILE(LINE,COL): error DY####: ...</c>) and no stack trace. One project, restored once.
/// </summary>
public sealed class MSBuildDockerfileErrorTests(MSBuildDockerfileErrorTests.Fixture fixture) : IClassFixture<MSBuildDockerfileErrorTests.Fixture>
{
    [Theory]
    [InlineData("COPY", "COPY")]
    [InlineData("COPPY . /app/", "COPPY")]
    public async Task A_malformed_third_line_is_an_MSBuild_error_at_Dockerfile_3_1_with_its_DY2_code(string line, string named)
    {
        var dockerfile = fixture.Project.WriteFile("Dockerfile", $"FROM {fixture.Registry.Host}/base/runtime:1\nWORKDIR /app\n{line}\n");

        var publish = await PublishAsync();

        Assert.NotEqual(0, publish.ExitCode);
        var error = Assert.Single(ErrorLines(publish));
        Assert.True(Regex.IsMatch(error, $@"^{Regex.Escape(dockerfile)}\(3,1\): error DY2\d{{3}}: "), error);
        Assert.Contains(named, error, StringComparison.Ordinal);
        AssertNoStackTrace(publish);
    }

    [Fact]
    public async Task A_FROM_of_an_image_the_registry_does_not_have_is_an_MSBuild_error_naming_the_reference()
    {
        var missing = $"{fixture.Registry.Host}/missing/image:1";
        var dockerfile = fixture.Project.WriteFile("Dockerfile", $"FROM {missing}\nWORKDIR /app\nCOPY . /app/\n");

        var publish = await PublishAsync();

        Assert.NotEqual(0, publish.ExitCode);
        var error = Assert.Single(ErrorLines(publish));
        Assert.True(Regex.IsMatch(error, $@"^{Regex.Escape(dockerfile)}\(1,1\): error DY\d{{4}}: "), error);
        Assert.Contains(missing, error, StringComparison.Ordinal);
        AssertNoStackTrace(publish);
    }

    private Task<ProcessResult> PublishAsync() => fixture.Project.DotnetAsync("publish", "--no-restore", "-c", "Release", "-p:PublishImage=true");

    /// <summary>The distinct error lines (MSBuild repeats each error in its summary).</summary>
    private static List<string> ErrorLines(ProcessResult result) =>
        [.. (result.StandardOutput + "\n" + result.StandardError).Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct(StringComparer.Ordinal)];

    private static void AssertNoStackTrace(ProcessResult result)
    {
        var output = result.StandardOutput + result.StandardError;
        Assert.DoesNotMatch(@"(?m)^\s+at [\w.`<>]+\(", output);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    /// <summary>An anonymous registry with a base image, and the project (restored once) the tests write Dockerfiles into.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        /// <summary>The registry the Dockerfiles pull from and the image would go to.</summary>
        public RegistryServer Registry { get; private set; } = null!;

        /// <summary>The project.</summary>
        public SdkTestProject Project { get; private set; } = null!;

        /// <inheritdoc />
        public async Task InitializeAsync()
        {
            Registry = await RegistryServer.StartAsync();
            await TestImages.PushWithSkopeoAsync(TestImages.Create(), Registry, "base/runtime:1");
            Project = await SdkTestProject.CreateAsync("msbuild-dockerfile", $"""
                <ContainerRegistry>{Registry.Host}</ContainerRegistry>
                <ContainerRepository>msbuild/dockerfile</ContainerRepository>
                """);
        }

        /// <inheritdoc />
        public async Task DisposeAsync()
        {
            Project?.Dispose();
            if (Registry is not null) await Registry.DisposeAsync();
        }
    }
}
