using Dockyard.Diagnostics;
using Dockyard.Jobs.Scheduling;
using Dockyard.Pipelines;
using Dockyard.Tests.Pipelines;

namespace Dockyard.Tests.Jobs;

/// <summary>Run planning and GitLab's when/composite-status rules, without running anything.</summary>
public class PlanningTests
{
    private static Pipeline Load(string yaml) => PipelineFixture.Load(yaml);

    private const string Yaml = """
        stages: [build, test, deploy]
        compile:
          stage: build
          script: [make]
        unit:
          stage: test
          parallel: 2
          needs: [compile]
          script: [test]
        lint:
          stage: test
          script: [lint]
        ship:
          stage: deploy
          when: manual
          script: [ship]
        """;

    [Fact]
    public void An_unknown_job_or_stage_is_an_error_with_a_suggestion()
    {
        var pipeline = Load(Yaml);
        var job = Assert.Throws<DockyardException>(() => RunPlanner.Plan(pipeline, new RunSelection { Jobs = ["compil"] }));
        Assert.Contains("job 'compil': no such job", job.Message);
        Assert.Contains("did you mean 'compile'?", job.Message);
        var stage = Assert.Throws<DockyardException>(() => RunPlanner.Plan(pipeline, new RunSelection { Stage = "tset" }));
        Assert.Contains("did you mean 'test'?", stage.Message);
        var manual = Assert.Throws<DockyardException>(() => RunPlanner.Plan(pipeline, new RunSelection { Manual = ["lint"] }));
        Assert.Contains("not manual", manual.Message);
        Assert.Throws<DockyardException>(() => RunPlanner.Plan(pipeline, new RunSelection()));
    }

    [Fact]
    public void A_parallel_job_name_selects_every_instance_and_waits_follow_needs_or_stages()
    {
        var plan = RunPlanner.Plan(Load(Yaml), new RunSelection { Pipeline = true });
        Assert.Equal(["compile", "unit 1/2", "unit 2/2", "lint", "ship"], plan.Select(p => p.Job.Name));
        Assert.Equal(["compile"], plan[1].WaitsFor);
        Assert.True(plan[1].IsDag);
        Assert.Equal(["compile"], plan[3].WaitsFor);
        Assert.Equal(["compile", "unit 1/2", "unit 2/2", "lint"], plan[4].WaitsFor);
        Assert.False(plan[4].Triggered);
        Assert.Equal("unit-1-2", plan[1].Slug);
        var stage = RunPlanner.Plan(Load(Yaml), new RunSelection { Jobs = ["unit"] });
        Assert.Equal(["unit 1/2", "unit 2/2"], stage.Select(p => p.Job.Name));
        Assert.Empty(stage[0].WaitsFor);
        Assert.Equal(["compile"], stage[0].ArtifactSources);
    }

    [Fact]
    public void Naming_a_manual_job_triggers_it()
    {
        var plan = RunPlanner.Plan(Load(Yaml), new RunSelection { Jobs = ["ship"] });
        Assert.True(Assert.Single(plan).Triggered);
    }

    private static JobResult R(string name, JobStatus status, bool allowed = false) => new(name, "s", status, allowed, null, TimeSpan.Zero, 1, null);

    [Fact]
    public void Composite_status_counts_allowed_failures_as_success_and_ignores_optional_manual_jobs()
    {
        Assert.Equal("success", WhenDecision.Composite([]));
        Assert.Equal("success", WhenDecision.Composite([R("a", JobStatus.Failed, allowed: true), R("b", JobStatus.Success)]));
        Assert.Equal("failed", WhenDecision.Composite([R("a", JobStatus.Failed), R("b", JobStatus.Success)]));
        Assert.Equal("skipped", WhenDecision.Composite([R("a", JobStatus.Skipped), R("m", JobStatus.Manual, allowed: true)]));
        Assert.Equal("canceled", WhenDecision.Composite([R("a", JobStatus.Canceled)]));
    }

    [Fact]
    public void Needs_require_success_while_stages_also_accept_skipped()
    {
        var pipeline = Load(Yaml);
        var plan = RunPlanner.Plan(pipeline, new RunSelection { Pipeline = true });
        var skipped = new[] { R("compile", JobStatus.Skipped) };
        Assert.Equal(JobStatus.Skipped, WhenDecision.Decide(plan[1], skipped)!.Value.Status);
        Assert.Null(WhenDecision.Decide(plan[3], skipped));
        Assert.Equal(JobStatus.Manual, WhenDecision.Decide(plan[4], [R("compile", JobStatus.Success)])!.Value.Status);
        Assert.Equal(JobStatus.Skipped, WhenDecision.Decide(plan[4], [R("compile", JobStatus.Failed)])!.Value.Status);
    }
}
