using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>The one parser of a build output <c>type=…,dest=…</c> (CLI <c>--output</c>, Cake <c>Output</c>) and where "build an image" writes it.</summary>
public sealed class BuildOutputTests
{
    [Theory]
    [InlineData("type=oci-archive,dest=out/app.tar", "oci-archive:out/app.tar")]
    [InlineData("type=oci,dest=layout", "oci:layout")]
    [InlineData("docker-archive,dest=-", "docker-archive:-")]
    [InlineData("type=docker", ImageDestination.DockerDaemon)]
    public void File_and_daemon_outputs_become_locations_with_dest_as_written(string text, string location) =>
        Assert.Equal(ImageDestination.At(location), BuildOutput.Parse(text).ToDestination());

    [Theory]
    [InlineData("type=registry")]
    [InlineData("type=image")]
    [InlineData("")]
    public void Registry_outputs_are_a_push(string text) => Assert.Equal(ImageDestination.Push, BuildOutput.Parse(text).ToDestination());

    [Theory]
    [InlineData("type=tarball,dest=x", "type=tarball is not an output; choose registry, oci, oci-archive, docker-archive or docker")]
    [InlineData("type=oci-archive", "type=oci-archive needs dest=PATH")]
    [InlineData("type=oci,dest=x,compression=zstd", "unknown key 'compression'")]
    public void A_bad_output_is_a_user_error_about_the_output_setting(string text, string message)
    {
        var error = Assert.Throws<DockyardException>(() => BuildOutput.Parse(text));
        Assert.StartsWith($"output '{text}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(Setting.Output, error.Setting);
    }

    [Fact]
    public async Task A_relative_dest_is_written_under_the_hosts_working_directory_not_the_processes()
    {
        using var temp = new TempDirectory("uc-output");
        using var host = new TestHost();
        var relative = $"out-{Guid.NewGuid():N}/app.tar";
        var request = new ImageBuildRequest
        {
            ContextDirectory = temp.Combine("ctx"), Tags = ["example.com/app:1"], Platforms = [Amd64],
            Destination = BuildOutput.Parse($"type=oci-archive,dest={relative}").ToDestination(),
        };
        Write(request.ContextDirectory, "Dockerfile", "FROM scratch\nCOPY a.txt /a.txt\n");
        Write(request.ContextDirectory, "a.txt", "a\n");

        var result = await ImageBuild.RunAsync(host.Context, request);

        var archive = Path.Combine(host.Context.WorkingDirectory, relative);
        Assert.Equal($"oci-archive:{archive}", result.Location);
        var inspect = await Skopeo.InspectTransportAsync($"oci-archive:{archive}");
        Assert.Equal(result.Digest?.ToString(), inspect.GetProperty("Digest").GetString());
        Assert.False(File.Exists(Path.GetFullPath(relative)), "written relative to the test process's current directory");
    }
}
