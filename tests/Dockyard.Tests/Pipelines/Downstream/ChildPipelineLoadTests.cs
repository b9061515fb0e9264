using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Downstream;
using Dockyard.Pipelines.Output;

namespace Dockyard.Tests.Pipelines.Downstream;

/// <summary>Trigger jobs and the child pipelines they start, as GitLab creates them (<c>ci list --all</c>).</summary>
public class ChildPipelineLoadTests
{
    private static (Pipeline Parent, IReadOnlyList<DownstreamPipeline> Downstream) Load(PipelineFixture fixture)
    {
        var options = new PipelineOptions
        {
            ProjectDirectory = fixture.Directory, Variables = fixture.Variables, Environment = new Dictionary<string, string>(),
        };
        var parent = PipelineLoader.Load(options);
        return (parent, DownstreamPipelines.Load(options, parent));
    }

    [Fact]
    public void A_child_sees_parent_pipeline_and_the_trigger_jobs_variables_expanded_in_the_parent()
    {
        using var fixture = new PipelineFixture("""
            variables:
              GLOBAL: g
            deploy:
              variables:
                TARGET: "env-$CI_COMMIT_BRANCH"
                RAW:
                  value: "$CI_COMMIT_BRANCH"
                  expand: false
              trigger:
                include: ci/child.yml
                strategy: depend
            """).Write("ci/child.yml", """
            variables:
              TARGET: overridden-by-the-parent
            only-in-child:
              script: [echo]
              rules:
                - if: $CI_PIPELINE_SOURCE == "parent_pipeline" && $TARGET == "env-main" && $GLOBAL == "g"
            never-in-child:
              script: [echo]
              rules:
                - if: $CI_PIPELINE_SOURCE == "push"
            """);
        var (_, downstream) = Load(fixture);
        var child = Assert.Single(downstream);
        Assert.Equal("deploy", child.Trigger.Name);
        Assert.Equal("depend", child.Spec.Strategy);
        Assert.Equal(["ci/child.yml"], child.Pipeline!.Files);
        Assert.Equal("env-main", child.Forwarded["TARGET"].Value);
        Assert.Equal("$CI_COMMIT_BRANCH", child.Forwarded["RAW"].Value);
        Assert.False(child.Forwarded["RAW"].Expand);
        Assert.Equal("on_success", child.Pipeline.Job("only-in-child").When);
        Assert.Equal("never", child.Pipeline.Job("never-in-child").When);
    }

    // Ci::Bridge#downstream_variables: yaml variables unless forward:yaml_variables is false; the parent's pipeline
    // variables only with forward:pipeline_variables: true.
    [Fact]
    public void Forward_decides_which_variables_the_child_receives()
    {
        using var fixture = new PipelineFixture("""
            plain:
              variables: {A: a}
              trigger: {include: child.yml}
            none:
              variables: {A: a}
              trigger:
                include: child.yml
                forward: {yaml_variables: false}
            all:
              variables: {A: a}
              trigger:
                include: child.yml
                forward: {pipeline_variables: true}
            """).Write("child.yml", "job:\n  script: [echo]\n");
        fixture.Variables["GIVEN"] = "by-hand";
        var (_, downstream) = Load(fixture);
        var byTrigger = downstream.ToDictionary(d => d.Trigger.Name);
        Assert.True(byTrigger["plain"].Forwarded.ContainsKey("A"));
        Assert.False(byTrigger["plain"].Forwarded.ContainsKey("GIVEN"));
        Assert.Empty(byTrigger["none"].Forwarded);
        Assert.Equal("by-hand", byTrigger["all"].Forwarded["GIVEN"].Value);
        Assert.Equal("a", byTrigger["all"].Forwarded["A"].Value);
    }

    [Fact]
    public void Nested_children_load_two_levels_deep_and_a_third_level_is_refused()
    {
        using var fixture = new PipelineFixture("""
            parent-trigger:
              trigger: {include: child.yml}
            """)
            .Write("child.yml", "child-trigger:\n  trigger: {include: grandchild.yml}\n")
            .Write("grandchild.yml", "leaf:\n  script: [echo]\n");
        var (_, downstream) = Load(fixture);
        var grandchild = Assert.Single(Assert.Single(downstream).Downstream);
        Assert.Equal(2, grandchild.Depth);
        Assert.Equal("leaf", Assert.Single(grandchild.Pipeline!.Jobs).Name);

        fixture.Write("grandchild.yml", "too-deep:\n  trigger: {include: child.yml}\n");
        var error = Assert.Throws<SourceException>(() => Load(fixture));
        Assert.Contains("nest at most 2 levels", error.Message);
        Assert.Equal("grandchild.yml", error.Location.File);
    }

    [Fact]
    public void A_broken_child_configuration_is_an_error_at_its_own_file_line_and_column()
    {
        using var fixture = new PipelineFixture("""
            deploy:
              trigger: {include: ci/child.yml}
            """).Write("ci/child.yml", "job:\n  script: [echo]\n  stage: nope\n");
        var error = Assert.Throws<SourceException>(() => Load(fixture));
        error.At(3, 10, "ci/child.yml");
        Assert.Contains("chosen stage 'nope' does not exist", error.Message);

        fixture.Write(".gitlab-ci.yml", "deploy:\n  trigger: {include: ci/missing.yml}\n");
        var missing = Assert.Throws<SourceException>(() => Load(fixture));
        missing.At(2, 22);
        Assert.Contains("include local 'ci/missing.yml' does not exist", missing.Message);
    }

    [Fact]
    public void An_artifact_configuration_and_a_multi_project_trigger_are_described_not_loaded()
    {
        using var fixture = new PipelineFixture("""
            generate:
              stage: build
              script: [echo]
            dynamic:
              stage: test
              trigger:
                include:
                  - artifact: generated.yml
                    job: generate
            other:
              stage: test
              trigger:
                project: group/other
                branch: stable
            """);
        var (parent, downstream) = Load(fixture);
        var text = JobTableWriter.Write(parent, downstream);
        Assert.Contains("'dynamic' starts a child pipeline made at run time from artifact generated.yml of job 'generate'.", text);
        Assert.Contains("'other' starts a multi-project pipeline of group/other (stable): GitLab starts it in that project", text);
        var json = System.Text.Json.JsonDocument.Parse(ListJsonWriter.Write(parent, downstream)).RootElement;
        var kinds = json.GetProperty("downstream").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["dynamic", "multi-project"], kinds);
    }

    [Theory]
    [InlineData("trigger: {include: a.yml, strategy: wait}", "trigger strategy should be depend or mirror", 2, 39)]
    [InlineData("trigger: {include: a.yml, branch: main}", "trigger config contains unknown keys: branch", 2, 29)]
    [InlineData("trigger: {include: [a.yml, b.yml, c.yml, d.yml]}", "trigger:include config is too long (maximum is 3)", 2, 22)]
    [InlineData("trigger: {strategy: depend}", "trigger config must specify either project or include", 2, 12)]
    [InlineData("trigger: {include: a.yml, forward: {yaml_variables: maybe}}", "forward yaml_variables should be a boolean value", 2, 55)]
    [InlineData("trigger: [a]", "trigger has to be either a string or a hash", 2, 12)]
    [InlineData("trigger: ''", "trigger config can't be blank", 2, 12)]
    public void A_trigger_GitLab_rejects_is_an_error_at_its_location(string trigger, string message, int line, int column)
    {
        var error = PipelineFixture.Error($"deploy:\n  {trigger}\n");
        Assert.Contains(message, error.Message);
        error.At(line, column);
    }
}
