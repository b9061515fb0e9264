using System.Text.Json;
using Dockyard.Cli;
using Dockyard.Cli.Commands;
using Dockyard.Pipelines.Output;

namespace Dockyard.Tests.Pipelines.Rules;

/// <summary>GitLab rules Dockyard follows for <c>rules: []</c>, <c>allow_failure: exit_codes</c> and pipelines GitLab would not create.</summary>
public class NoPipelineTests
{
    // lib/gitlab/ci/config/entry/rules.rb:11 `validates :config, presence: true` ([] is not present): "rules config can't be blank".
    [Fact]
    public void Empty_rules_list_is_an_error_for_jobs_workflow_and_includes()
    {
        var ex = PipelineFixture.Error("job:\n  rules: []\n  script: [x]\n");
        ex.At(2, 10);
        Assert.Contains("rules config can't be blank", ex.Message);
        PipelineFixture.Error("workflow:\n  rules: []\njob:\n  script: [x]\n").At(2, 10);
        // lib/gitlab/ci/config/entry/include/rules.rb:18, same validation
        Assert.Contains("can't be blank", PipelineFixture.Error("include:\n  - local: a.yml\n    rules: []\njob:\n  script: [x]\n",
            f => f.Write("a.yml", "a:\n  script: [x]\n")).Message);
        // rules: (null) is not configured: the job runs
        Assert.Equal("on_success", PipelineFixture.Load("job:\n  rules:\n  script: [x]\n").Job("job").When);
    }

    // lib/gitlab/ci/config/entry/job.rb static_allow_failure: `return false if allow_failure_value.is_a?(Hash)`,
    // the hash kept as allow_failure_criteria.
    [Fact]
    public void Allow_failure_exit_codes_is_false_plus_the_codes_in_table_and_json()
    {
        var pipeline = PipelineFixture.Load("codes:\n  allow_failure: {exit_codes: [3, 4]}\n  script: [x]\none:\n  allow_failure:\n    exit_codes: 137\n  script: [x]\n");
        Assert.False(pipeline.Job("codes").AllowFailure);
        Assert.Equal([3, 4], pipeline.Job("codes").AllowFailureExitCodes);
        Assert.Equal([137], pipeline.Job("one").AllowFailureExitCodes);
        Assert.Matches(@"codes\s+test\s+on_success\s+false \(exit codes 3,4\)", JobTableWriter.Write(pipeline));
        var job = JsonDocument.Parse(ListJsonWriter.Write(pipeline)).RootElement[0];
        Assert.False(job.GetProperty("allow_failure").GetBoolean());
        Assert.Equal([3, 4], job.GetProperty("allow_failure_criteria").GetProperty("exit_codes").EnumerateArray().Select(e => e.GetInt32()));
    }

    // lib/gitlab/ci/pipeline/chain/evaluate_workflow_rules.rb ("Pipeline filtered out by workflow rules."),
    // chain/populate.rb (no stage left: "The rules configuration prevented any jobs from being added"), and
    // https://docs.gitlab.com/ci/yaml/#stage-pre ("If a pipeline contains only jobs in the .pre or .post stages, it does not run").
    [Theory]
    [InlineData("workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\njob:\n  script: [x]\n", "workflow:rules")]
    [InlineData("job:\n  rules:\n    - if: $CI_COMMIT_TAG\n  script: [x]\nother:\n  only: [tags]\n  script: [x]\n", "every job")]
    [InlineData("first:\n  stage: .pre\n  script: [x]\njob:\n  only: [tags]\n  script: [x]\nlast:\n  stage: .post\n  script: [x]\n", ".pre/.post")]
    public void No_pipeline_is_said_in_text_and_json_with_its_own_exit_code(string yaml, string reason)
    {
        using var f = new PipelineFixture(yaml);
        Assert.Contains(reason, f.Load().NoPipelineReason);
        var (code, text, err) = Run("ci", "list", "--cwd", f.Directory, "--variable", "CI_COMMIT_BRANCH=main");
        Assert.Equal((CiCommand.NoPipelineExitCode, ""), (code, err));
        Assert.Contains("no pipeline: ", text);
        Assert.DoesNotMatch(@"\s(on_success|manual|always|delayed|on_failure)\s", text);
        var (jsonCode, json, _) = Run("ci", "list", "--json", "--cwd", f.Directory, "--variable", "CI_COMMIT_BRANCH=main");
        Assert.Equal(CiCommand.NoPipelineExitCode, jsonCode);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.False(root.GetProperty("pipeline").GetBoolean());
        Assert.Contains(reason, root.GetProperty("reason").GetString());
        Assert.All(root.GetProperty("jobs").EnumerateArray(), j => Assert.Equal("never", j.GetProperty("when").GetString()));
    }

    [Fact]
    public void A_pipeline_with_a_regular_job_is_created()
    {
        var pipeline = PipelineFixture.Load("first:\n  stage: .pre\n  script: [x]\njob:\n  script: [x]\n");
        Assert.Null(pipeline.NoPipelineReason);
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(ListJsonWriter.Write(pipeline)).RootElement.ValueKind);
    }

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
