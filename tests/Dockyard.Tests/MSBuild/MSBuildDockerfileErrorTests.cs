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
    public Task A_malformed_third_line_is_an_MSBuild_error_at_Dockerfile_3_1_with_its_DY2_code(string line, string named) =>
        PublishFailsWithOneErrorAsync($"FROM {fixture.Registry.Host}/base/runtime:1\nWORKDIR /app\n{line}\n", @"\(3,1\): error DY2\d{3}: ", named);

    [Fact]
    public Task A_FROM_of_an_image_the_registry_does_not_have_is_an_MSBuild_error_naming_the_reference() =>
        PublishFailsWithOneErrorAsync($"FROM {fixture.Registry.Host}/missing/image:1\nWORKDIR /app\nCOPY . /app/\n", @"\(1,1\): error DY4\d{3}: ",
            $"{fixture.Registry.Host}/missing/image:1 was not found");

    /// <summary>
    /// Publishes with <paramref name="dockerfileText"/> as the Dockerfile: the build fails with exactly one error, at
    /// the Dockerfile's full path followed by <paramref name="locationAndCode"/> (a pattern), that mentions
    /// <paramref name="named"/>; no stack trace anywhere in the output.
    /// </summary>
    private async Task PublishFailsWithOneErrorAsync(string dockerfileText, string locationAndCode, string named)
    {
        var dockerfile = fixture.Project.WriteFile("Dockerfile", dockerfileText);

        var publish = await fixture.Project.DotnetAsync("publish", "--no-restore", "-c", "Release", "-p:PublishImage=true");

        Assert.NotEqual(0, publish.ExitCode);
        var error = Assert.Single(ErrorLines(publish));
        Assert.True(Regex.IsMatch(error, "^" + Regex.Escape(dockerfile) + locationAndCode), error);
        Assert.Contains(named, error, StringComparison.Ordinal);
        var output = publish.StandardOutput + publish.StandardError;
        Assert.DoesNotMatch(@"(?m)^\s+at [\w.`<>]+\(", output);
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
    }

    /// <summary>The distinct error lines (MSBuild repeats each error in its summary).</summary>
    private static List<string> ErrorLines(ProcessResult result) =>
        [.. (result.StandardOutput + "\n" + result.StandardError).Split('\n').Where(l => l.Contains(": error ", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct(StringComparer.Ordinal)];

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
