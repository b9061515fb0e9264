using System.Formats.Tar;
using System.Text.Json.Nodes;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cake;

/// <summary>The packed addin in the real <c>dotnet cake</c>: <c>DockyardBuildSettings.Output</c> as <c>dockyard build --output</c>.</summary>
public sealed class CakeOutputTests
{
    [Fact]
    public async Task An_oci_archive_output_is_written_relative_to_the_working_directory_with_the_label_and_tag()
    {
        using var dir = new TempDirectory("cake-output");

        var (exitCode, output) = await BuildAsync(dir, """
            new DockyardBuildSettings
            {
                Tag = new[] { "registry.example.com/cake/app:1.0" },
                Label = new[] { "org.example.by=cake" },
                Output = new[] { "type=oci-archive,dest=out/app.tar" },
            }
            """);

        Assert.True(exitCode == 0, output);
        var archive = dir.Combine("out", "app.tar");
        var inspect = await Skopeo.InspectTransportAsync($"oci-archive:{archive}");
        Assert.Equal("cake", inspect.GetProperty("Labels").GetProperty("org.example.by").GetString());
        Assert.Contains($"built {inspect.GetProperty("Digest").GetString()} with native", output);
        Assert.Equal(["registry.example.com/cake/app:1.0"], RefNames(archive));
        Assert.False(System.IO.Directory.Exists(dir.Combine("app", "out")), "the destination is relative to Cake's working directory, not the context");
    }

    [Fact]
    public async Task A_bad_output_fails_the_run_with_a_DY_error_naming_the_setting_and_no_stack_trace()
    {
        using var dir = new TempDirectory("cake-output-bad");

        var (exitCode, output) = await BuildAsync(dir, """new DockyardBuildSettings().WithTag("cake/app:1").WithOutput("type=tarball,dest=out/app.tar")""");

        Assert.NotEqual(0, exitCode);
        Assert.Matches(@"error DY\d{4}: output 'type=tarball,dest=out/app.tar': type=tarball is not an output; choose registry, oci, oci-archive, docker-archive or docker\. \(setting: DockyardBuildSettings\.Output / Push\)", output);
        Assert.DoesNotContain("built ", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(dir.Combine("out", "app.tar")));
    }

    /// <summary>Runs <c>DockyardBuild(SETTINGS, "app")</c> on a scratch image in <paramref name="dir"/>; the exit code and all output.</summary>
    private static async Task<(int ExitCode, string Output)> BuildAsync(TempDirectory dir, string settings)
    {
        dir.WriteFile("app/hello.txt", "hello from cake\n");
        dir.WriteFile("app/Dockerfile", "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/hello.txt\"]\n");
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var built = DockyardBuild({{settings}}, "app");
            Information("built " + built.Digest + " with " + built.Backend);
            """;
        var result = await CakeScriptRunner.RunAsync(dir, script);
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }

    /// <summary>The <c>org.opencontainers.image.ref.name</c> annotations of the archive's <c>index.json</c>.</summary>
    private static List<string> RefNames(string archive)
    {
        using var stream = File.OpenRead(archive);
        using var reader = new TarReader(stream);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.Name.TrimStart('.', '/') != "index.json") continue;
            var index = JsonNode.Parse(entry.DataStream!)!;
            return index["manifests"]!.AsArray().Select(m => m!["annotations"]?["org.opencontainers.image.ref.name"]?.GetValue<string>()).OfType<string>().ToList();
        }
        throw new InvalidOperationException($"{archive} has no index.json");
    }
}
