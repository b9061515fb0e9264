namespace Dockyard.Tests.Pipelines.Jobs;

public class ParallelAndNeedsTests
{
    [Fact]
    public void Parallel_number_names_jobs_index_slash_total()
    {
        var pipeline = PipelineFixture.Load("unit:\n  parallel: 3\n  script: [x]\n");
        Assert.Equal(["unit 1/3", "unit 2/3", "unit 3/3"], pipeline.Jobs.Select(j => j.Name));
        Assert.Equal((2, 3), (pipeline.Jobs[1].NodeIndex!.Value, pipeline.Jobs[1].NodeTotal!.Value));
        Assert.All(pipeline.Jobs, j => Assert.Equal("unit", j.BaseName));
    }

    [Fact]
    public void Matrix_is_the_cartesian_product_first_key_outermost()
    {
        var pipeline = PipelineFixture.Load("""
            build:
              variables: {OS: default}
              parallel:
                matrix:
                  - OS: [linux, mac]
                    ARCH: [x64, arm]
                  - OS: windows
              script: [x]
            """);
        Assert.Equal(["build: [linux, x64]", "build: [linux, arm]", "build: [mac, x64]", "build: [mac, arm]", "build: [windows]"],
            pipeline.Jobs.Select(j => j.Name));
        var job = pipeline.Job("build: [mac, arm]");
        Assert.Equal("mac", job.Variables["OS"].Value);
        Assert.Equal("arm", job.MatrixVariables["ARCH"]);
        Assert.Equal(5, job.NodeTotal);
    }

    [Fact]
    public void Parallel_out_of_range_is_an_error()
    {
        PipelineFixture.Error("unit:\n  parallel: 201\n  script: [x]\n").At(2, 13);
        var ex = PipelineFixture.Error("m:\n  parallel:\n    matrix:\n      - A: [" + string.Join(",", Enumerable.Range(0, 15)) + "]\n        B: [" + string.Join(",", Enumerable.Range(0, 15)) + "]\n  script: [x]\n");
        Assert.Contains("more than 200", ex.Message);
    }

    [Fact]
    public void Needs_forms_and_defaults()
    {
        var pipeline = PipelineFixture.Load("""
            build:
              stage: build
              script: [x]
            pack:
              stage: build
              script: [x]
            test:
              needs: [build, {job: lint, optional: true}, {job: pack, artifacts: false}]
              script: [x]
            solo:
              needs: []
              script: [x]
            """);
        var needs = pipeline.Job("test").Needs!;
        Assert.Equal([("build", true, false), ("lint", true, true), ("pack", false, false)], needs.Select(n => (n.Job, n.Artifacts, n.Optional)));
        Assert.Equal(["build"], needs[0].Instances);
        Assert.Empty(needs[1].Instances);
        Assert.Empty(pipeline.Job("solo").Needs!);
    }

    [Fact]
    public void Needs_of_a_parallel_job_resolve_to_its_instances_or_a_matrix_selection()
    {
        var pipeline = PipelineFixture.Load("""
            build:
              stage: build
              parallel:
                matrix:
                  - OS: [linux, mac]
                    ARCH: [x64, arm]
              script: [x]
            all:
              needs: [build]
              script: [x]
            some:
              needs:
                - job: build
                  parallel:
                    matrix:
                      - OS: linux
              script: [x]
            """);
        Assert.Equal(4, pipeline.Job("all").Needs![0].Instances.Count);
        Assert.Equal(["build: [linux, x64]", "build: [linux, arm]"], pipeline.Job("some").Needs![0].Instances);
        Assert.Equal("build", pipeline.Job("some").Needs![0].Job);
    }

    [Fact]
    public void Needs_of_an_unknown_job_is_reported_at_the_entry()
    {
        var ex = PipelineFixture.Error("build:\n  stage: build\n  script: [x]\ntest:\n  needs: [biuld]\n  script: [x]\n");
        ex.At(5, 11);
        Assert.Contains("needs 'biuld', which is not defined (did you mean 'build'?)", ex.Message);
    }

    [Fact]
    public void Needs_of_a_later_stage_is_an_error_same_stage_is_fine()
    {
        PipelineFixture.Load("a:\n  script: [x]\nb:\n  needs: [a]\n  script: [x]\n");
        var ex = PipelineFixture.Error("a:\n  stage: deploy\n  script: [x]\nb:\n  stage: build\n  needs: [a]\n  script: [x]\n");
        ex.At(6, 11);
        Assert.Contains("later stage deploy", ex.Message);
    }

    [Fact]
    public void Needs_of_a_job_excluded_by_rules_is_an_error_unless_optional()
    {
        const string Yaml = "a:\n  stage: build\n  rules:\n    - if: $CI_COMMIT_TAG\n  script: [x]\nb:\n  needs: [{job: a, optional: OPT}]\n  script: [x]\n";
        Assert.Contains("rules exclude it", PipelineFixture.Error(Yaml.Replace("OPT", "false")).Message);
        Assert.Empty(PipelineFixture.Load(Yaml.Replace("OPT", "true")).Job("b").Needs![0].Instances);
    }

    [Fact]
    public void Needs_must_be_a_list()
    {
        PipelineFixture.Error("a:\n  needs: build\n  script: [x]\n").At(2, 10);
    }

    [Fact]
    public void Dependencies_must_be_earlier_jobs_and_part_of_needs()
    {
        PipelineFixture.Load("a:\n  stage: build\n  script: [x]\nb:\n  dependencies: [a]\n  script: [x]\n");
        PipelineFixture.Load("one:\n  script: [x]\nd:\n  stage: deploy\n  needs: []\n  dependencies: [one]\n  script: [x]\n");
        PipelineFixture.Error("b:\n  dependencies: [invalid]\n  script: [x]\n").At(2, 18);
        var ex = PipelineFixture.Error("one:\n  script: [x]\ntwo:\n  script: [x]\nt:\n  needs: [one]\n  dependencies: [one, two]\n  script: [x]\n");
        ex.At(7, 23);
        Assert.Contains("should be part of needs", ex.Message);
    }

    [Fact]
    public void Empty_script_and_string_cache_paths_are_errors()
    {
        PipelineFixture.Error("job:\n  script: []\n").At(1, 1);
        PipelineFixture.Error("job:\n  cache:\n    paths: folder\n  script: [x]\n").At(3, 12);
    }
}
