using System.Text.Json;
using Dockyard.Pipelines.Output;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Tests.Pipelines.Output;

public class OutputTests
{
    private const string Yaml = """
        stages: [build, test]
        .docker: &docker
          image: docker:27
          services: [docker:27-dind]
        build:
          <<: *docker
          stage: build
          script: [docker build .]
        test:
          needs: [build]
          parallel: 2
          allow_failure: true
          script: [dotnet test]
        never:
          rules: [{when: never}]
          script: ["true"]
        """;

    [Fact]
    public void List_json_uses_gitlab_ci_local_field_names()
    {
        var json = ListJsonWriter.Write(PipelineFixture.Load(Yaml));
        using var doc = JsonDocument.Parse(json);
        var jobs = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["build", "test 1/2", "test 2/2", "never"], jobs.Select(j => j.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, jobs[0].GetProperty("needs").ValueKind);
        var need = jobs[1].GetProperty("needs")[0];
        Assert.Equal("build", need.GetProperty("job").GetString());
        Assert.True(need.GetProperty("artifacts").GetBoolean());
        Assert.False(need.GetProperty("optional").GetBoolean());
        Assert.True(jobs[1].GetProperty("allow_failure").GetBoolean());
        Assert.Equal("never", jobs[3].GetProperty("when").GetString());
        Assert.Equal("build", jobs[0].GetProperty("stage").GetString());
    }

    [Fact]
    public void Table_lists_every_job()
    {
        var lines = JobTableWriter.Write(PipelineFixture.Load(Yaml)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("name", lines[0]);
        Assert.Matches(@"^test 1/2\s+test\s+on_success\s+true\s+\[build\]$", lines[2]);
    }

    [Fact]
    public void Preview_is_resolved_yaml_that_reads_back()
    {
        var text = PreviewWriter.Write(PipelineFixture.Load(Yaml));
        var root = (YamlMapping)YamlFileReader.ReadDocuments(text, "preview.yml")[0]!;
        Assert.Equal(["stages", "build", "test", "never"], root.Entries.Select(e => e.Key));
        Assert.Equal([".pre", "build", "test", ".post"], ((YamlSequence)root["stages"]!).Items.Select(i => ((YamlScalar)i).Text));
        var build = (YamlMapping)root["build"]!;
        Assert.Equal("docker:27", ((YamlScalar)((YamlMapping)build["image"]!)["name"]!).Text);
        Assert.Equal("docker:27-dind", ((YamlScalar)((YamlMapping)((YamlSequence)build["services"]!).Items[0])["name"]!).Text);
        var never = (YamlMapping)root["never"]!;
        Assert.Equal(YamlScalarKind.String, ((YamlScalar)((YamlSequence)never["script"]!).Items[0]).Kind);
        var need = (YamlMapping)((YamlSequence)((YamlMapping)root["test"]!)["needs"]!).Items[0];
        Assert.Equal(true, ((YamlScalar)need["artifacts"]!).AsBoolean);
    }
}
