using System.Text.Json;
using Dockyard.Cli;

namespace Dockyard.Tests.Jobs;

/// <summary>Trigger jobs under <c>dockyard ci run</c> and <c>ci list --all</c>, through the real command line.</summary>
public class ChildPipelineRunTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Infrastructure.InProcessCli.Run(args);

    private const string Parent = """
        stages: [build, deploy, after]
        generate:
          stage: build
          script:
            - mkdir -p out
            - 'printf "made:\n  script: [echo made-at-run-time \$PASSED]\n" > out/child.yml'
          artifacts:
            paths: [out/child.yml]
        waits:
          stage: deploy
          variables:
            PASSED: "from-$CI_PROJECT_NAME"
          trigger:
            include: ci/child.yml
            strategy: depend
        dynamic:
          stage: deploy
          variables:
            PASSED: dyn
          trigger:
            include:
              - artifact: out/child.yml
                job: generate
        later:
          stage: after
          script: [echo later]
        """;

    private const string Child = """
        stages: [test]
        unit:
          stage: test
          script:
            - echo "child=$CI_PIPELINE_SOURCE passed=$PASSED project=$PROJECT_VAR given=${GIVEN:-unset}"
          rules:
            - if: $CI_PIPELINE_SOURCE == "parent_pipeline"
        """;

    [Fact]
    public void A_pipeline_runs_its_child_pipelines_with_the_variables_GitLab_passes_on()
    {
        using var p = new JobProject(Parent, ("ci/child.yml", Child));
        var vars = p.Write("vars.yml", "PROJECT_VAR: p1\n");
        var report = Path.Combine(p.Outside, "report.json");
        var (code, _, err) = Run("ci", "run", "--pipeline", "--cwd", p.Directory, "--variables-file", vars, "--variable", "GIVEN=by-hand",
            "--report", report, "--concurrency", "2");
        Assert.True(code == 0, err);
        // A project variable reaches the child; a pipeline variable only with forward:pipeline_variables.
        Assert.Contains("[waits > unit] child=parent_pipeline passed=from-", err);
        Assert.Contains("project=p1 given=unset", err);
        Assert.Contains("[dynamic > made] made-at-run-time dyn", err);
        Assert.Matches(@"waits > unit\s+test\s+success", err);
        Assert.Matches(@"dynamic\s+deploy\s+success", err);
        var jobs = JsonDocument.Parse(File.ReadAllText(report)).RootElement.GetProperty("jobs").EnumerateArray()
            .Select(j => j.GetProperty("name").GetString()).ToList();
        Assert.Equal(["generate", "waits", "waits > unit", "dynamic", "dynamic > made", "later"], jobs);
        Assert.True(Directory.Exists(Path.Combine(p.Directory, ".dockyard", "pipelines", "waits", "builds")));
    }

    [Fact]
    public void With_strategy_depend_a_failed_child_fails_the_trigger_job_and_later_stages_are_skipped()
    {
        using var p = new JobProject("""
            stages: [deploy, after]
            waits:
              stage: deploy
              trigger: {include: child.yml, strategy: depend}
            later:
              stage: after
              script: [echo later]
            """, ("child.yml", "broken:\n  script: [exit 4]\n"));
        var (code, _, err) = Run("ci", "run", "--pipeline", "--cwd", p.Directory, "--concurrency", "1");
        Assert.Equal(1, code);
        Assert.Matches(@"waits > broken\s+test\s+failed\s+\S+\s+4", err);
        Assert.Matches(@"waits\s+deploy\s+failed\s+\S+\s+-\s+the child pipeline failed \(strategy: depend\)", err);
        Assert.Matches(@"later\s+after\s+skipped", err);
    }

    [Fact]
    public void Without_strategy_the_trigger_job_succeeds_and_the_run_still_fails_on_the_failed_child()
    {
        using var p = new JobProject("""
            stages: [deploy, after]
            starts:
              stage: deploy
              trigger: {include: child.yml}
            later:
              stage: after
              script: [echo later]
            """, ("child.yml", "broken:\n  script: [exit 4]\n"));
        var (code, _, err) = Run("ci", "run", "--pipeline", "--cwd", p.Directory, "--concurrency", "1");
        Assert.Equal(1, code);
        Assert.Matches(@"starts\s+deploy\s+success", err);
        Assert.Matches(@"later\s+after\s+success", err);
        Assert.Matches(@"starts > broken\s+test\s+failed", err);
    }

    [Fact]
    public void A_child_that_cannot_be_created_fails_its_trigger_job_with_the_reason()
    {
        using var p = new JobProject("""
            bad-child:
              trigger: {include: child.yml}
            missing-artifact:
              trigger:
                include: [{artifact: none.yml, job: bad-child}]
            """, ("child.yml", "job:\n  script: [echo]\n  stage: nope\n"));
        var (code, _, err) = Run("ci", "run", "--pipeline", "--cwd", p.Directory, "--concurrency", "1");
        Assert.Equal(1, code);
        Assert.Contains("[bad-child] ERROR: downstream pipeline can not be created: child.yml:3:10: job 'job': chosen stage 'nope' does not exist", err);
        Assert.Contains("job 'bad-child' left no artifact 'none.yml'", err);
        Assert.Matches(@"bad-child\s+test\s+failed\s+\S+\s+-\s+downstream_pipeline_creation_failed", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void List_all_shows_the_parent_and_each_child_and_json_nests_them()
    {
        using var p = new JobProject(Parent, ("ci/child.yml", Child));
        var (code, text, err) = Run("ci", "list", "--all", "--cwd", p.Directory);
        Assert.True(code == 0, err);
        Assert.Contains("'waits' starts a child pipeline of ci/child.yml (strategy: depend); variables passed on: PASSED:", text);
        Assert.Matches(@"\nunit\s+test\s+on_success", text);
        Assert.Contains("'dynamic' starts a child pipeline made at run time from artifact out/child.yml of job 'generate'.", text);

        var (jsonCode, json, _) = Run("ci", "list", "--all", "--json", "--cwd", p.Directory);
        Assert.Equal(0, jsonCode);
        var waits = JsonDocument.Parse(json).RootElement.GetProperty("downstream")[0];
        Assert.Equal("waits", waits.GetProperty("trigger").GetString());
        Assert.Equal("unit", waits.GetProperty("pipeline").GetProperty("jobs")[0].GetProperty("name").GetString());
        Assert.Equal(["PASSED"], waits.GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
    }
}
