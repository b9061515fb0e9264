using System.Formats.Tar;
using System.Text.Json.Nodes;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cake;

/// <summary>The packed addin in the real <c>dotnet cake</c>: <c>DockyardBuildSettings.Output</c> as <c>dockyard build --output</c>.</summary>
public sealed class CakeOutputTests
{
    private const string Dockerfile = "FROM scratch\nCOPY hello.txt /hello.txt\nCMD [\"/hello.txt\"]\n";

    [Fact]
    public async Task An_oci_archive_output_is_written_relative_to_the_working_directory_with_the_label_and_tag()
    {
        using var dir = new TempDirectory("cake-output");
        dir.WriteFile("app/hello.txt", "hello from cake\n");
        dir.WriteFile("app/Dockerfile", Dockerfile);
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var built = DockyardBuild(new DockyardBuildSettings
            {
                Tag = new[] { "registry.example.com/cake/app:1.0" },
                Label = new[] { "org.example.by=cake" },
                Output = new[] { "type=oci-archive,dest=out/app.tar" },
            }, "app");
            Information("built " + built.Digest + " with " + built.Backend);
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script);

        var output = result.StandardOutput + result.StandardError;
        Assert.True(result.ExitCode == 0, output);
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
        dir.WriteFile("app/hello.txt", "hello\n");
        dir.WriteFile("app/Dockerfile", Dockerfile);
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            DockyardBuild(new DockyardBuildSettings().WithTag("cake/app:1").WithOutput("type=tarball,dest=out/app.tar"), "app");
            Information("not reached");
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script);

        var output = result.StandardOutput + result.StandardError;
        Assert.NotEqual(0, result.ExitCode);
        Assert.Matches(@"error DY\d{4}: output 'type=tarball,dest=out/app.tar': type=tarball is not an output; choose registry, oci, oci-archive, docker-archive or docker\. \(setting: DockyardBuildSettings\.Output / Push\)", output);
        Assert.DoesNotContain("not reached", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(dir.Combine("out", "app.tar")));
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
