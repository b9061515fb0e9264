using System.Text.Json;
using Dockyard.Cli;

namespace Dockyard.Tests.Jobs;

/// <summary><c>dockyard ci run</c> through the real command line.</summary>
public class CiRunCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Infrastructure.InProcessCli.Run(args);

    [Fact]
    public void Runs_a_pipeline_prints_logs_and_a_summary_and_writes_the_report()
    {
        using var p = new JobProject("""
            stages: [build, test]
            build:
              stage: build
              script: [echo "token=$TOKEN"]
            test:
              stage: test
              script: [exit 3]
              allow_failure:
                exit_codes: [3]
            """);
        var vars = p.Write("vars.yml", "TOKEN:\n  value: abcdefgh-secret\n  masked: true\n");
        var report = Path.Combine(p.Outside, "report.json");
        var (code, _, err) = Run("ci", "run", "--pipeline", "--cwd", p.Directory, "--variables-file", vars, "--report", report, "--concurrency", "1");
        Assert.Equal(0, code);
        Assert.Contains("[build] $ echo \"token=$TOKEN\"", err);
        Assert.Contains("[build] token=[MASKED]", err);
        Assert.DoesNotContain("abcdefgh-secret", err);
        Assert.Matches(@"test\s+test\s+failed \(allowed\)\s+\S+\s+3", err);
        Assert.Contains("Pipeline passed", err);
        var json = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.Equal("success", json.GetProperty("status").GetString());
        Assert.Equal(3, json.GetProperty("jobs")[1].GetProperty("exit_code").GetInt32());
        Assert.True(json.GetProperty("jobs")[1].GetProperty("allow_failure").GetBoolean());
    }

    // Two runs in one checkout used to delete each other's job directories mid-job (exit 70, or a job "passing" with
    // its script gone); the second now waits for the first's lock on .dockyard and says so.
    [Fact]
    public async Task Two_runs_in_one_checkout_take_turns()
    {
        using var p = new JobProject("""
            build:
              script:
                - echo start >> "$OUT/order"
                - sleep 1
                - test -f .gitlab-ci.yml
                - echo end >> "$OUT/order"
            """);
        var outside = "OUT=" + p.Outside;
        var first = Task.Run(() => Run("ci", "run", "build", "--cwd", p.Directory, "--variable", outside));
        var second = Task.Run(() => Run("ci", "run", "build", "--cwd", p.Directory, "--variable", outside));
        var results = await Task.WhenAll(first, second);
        Assert.All(results, r => Assert.Equal(0, r.Code));
        Assert.Equal(["start", "end", "start", "end"], File.ReadAllLines(Path.Combine(p.Outside, "order")));
        Assert.Contains(results, r => r.Err.Contains("Another dockyard run is using", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failing_run_exits_non_zero_and_a_bad_name_is_a_clean_message()
    {
        using var p = new JobProject("""
            build:
              script: [exit 1]
            """);
        var (code, _, err) = Run("ci", "run", "build", "--cwd", p.Directory, "--variable", "A=b");
        Assert.Equal(1, code);
        Assert.Contains("Pipeline failed", err);
        var (badCode, _, badErr) = Run("ci", "run", "biuld", "--cwd", p.Directory);
        Assert.Equal(1, badCode);
        Assert.Contains("job 'biuld': no such job", badErr);
        Assert.Contains("did you mean 'build'?", badErr);
        Assert.DoesNotContain("   at ", badErr);
    }

    // lib/gitlab/ci/pipeline/chain/evaluate_workflow_rules.rb and chain/populate.rb stop the chain with no pipeline;
    // https://docs.gitlab.com/ci/yaml/#stage-pre: a pipeline of only .pre/.post jobs is not created. Nothing runs.
    [Theory]
    [InlineData("workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\njob:\n  script: [touch ../.outside/ran]\n", "workflow:rules")]
    [InlineData("first:\n  stage: .pre\n  script: [touch ../.outside/ran]\njob:\n  only: [tags]\n  script: [touch ../.outside/ran]\n", ".pre/.post")]
    public void Run_pipeline_without_a_pipeline_runs_nothing_says_why_and_exits_2(string yaml, string reason)
    {
        using var p = new JobProject(yaml);
        var report = Path.Combine(p.Outside, "report.json");
        var (code, _, err) = Run("ci", "run", "--pipeline", "--in-place", "--cwd", p.Directory, "--variable", "CI_COMMIT_BRANCH=main", "--report", report);
        Assert.Equal(2, code);
        Assert.Contains("No pipeline: ", err);
        Assert.Contains(reason, err);
        Assert.Contains("nothing ran", err);
        Assert.False(File.Exists(Path.Combine(p.Outside, "ran")));
        var json = JsonDocument.Parse(File.ReadAllText(report)).RootElement;
        Assert.Equal("no_pipeline", json.GetProperty("status").GetString());
        Assert.Equal(0, json.GetProperty("jobs").GetArrayLength());
    }
}
