namespace Dockyard.Tests.Pipelines.Jobs;

/// <summary>
/// GitLab's logical validation (lib/gitlab/ci/yaml_processor.rb on gitlab-org/gitlab master, 2025; line numbers of that file),
/// which runs on every job before rules filter any of them.
/// </summary>
public class GitLabValidationTests
{
    // yaml_processor.rb:63-68 run_logical_validations! walks @jobs (all jobs, before seeding applies rules);
    // :91-97 validate_job_dependencies!, :136-143 validate_job_dependency! raises "undefined dependency" when the job is not in @jobs.
    [Fact]
    public void Undefined_dependency_of_an_excluded_job_is_an_error()
    {
        var ex = PipelineFixture.Error("a:\n  script: [x]\nb:\n  rules:\n    - if: $NEVER\n  dependencies: [nope]\n  script: [x]\n");
        ex.At(6, 18);
        Assert.Contains("undefined dependency 'nope'", ex.Message);
        // the same with only/except excluding the job
        PipelineFixture.Error("a:\n  script: [x]\nb:\n  only: [tags]\n  dependencies: [nope]\n  script: [x]\n").At(5, 18);
    }

    // lib/gitlab/ci/config/entry/root.rb: a top-level `image`/`services` is the (deprecated) global keyword, never a job,
    // so a "job" named image fails as "image config contains unknown keys: stage, script". Plain global values still load.
    [Fact]
    public void A_job_named_image_or_services_is_the_global_keyword_and_its_job_keys_are_errors()
    {
        var ex = PipelineFixture.Error("build:\n  script: [x]\nimage:\n  stage: build\n  script: [docker build .]\n");
        ex.At(4, 3);
        Assert.Contains("'image' at the top level is GitLab's global image keyword, not a job", ex.Message);
        Assert.Contains("stage, script", ex.Message);
        PipelineFixture.Error("build:\n  script: [x]\nimage:\n  name: alpine\n  tags: [x]\n");
        PipelineFixture.Load("build:\n  script: [x]\nimage:\n  name: alpine:3.20\n  entrypoint: ['']\nservices: [docker:dind]\n");
    }

    // yaml_processor.rb:110-115 validate_job_needs! checks job needs and the needs of every rule, matching or not.
    [Fact]
    public void Undefined_need_of_an_excluded_job_or_of_a_rule_that_does_not_match_is_an_error()
    {
        PipelineFixture.Error("a:\n  script: [x]\nb:\n  rules:\n    - when: never\n  needs: [nope]\n  script: [x]\n").At(6, 11);
        var ex = PipelineFixture.Error("a:\n  script: [x]\nb:\n  rules:\n    - if: $NEVER\n      needs: [nope]\n    - when: on_success\n  script: [x]\n");
        ex.At(6, 15);
        Assert.Contains("needs 'nope', which is not defined", ex.Message);
        // :141 an optional need may name a job that is not defined (removed by include rules)
        PipelineFixture.Load("a:\n  script: [x]\nb:\n  rules:\n    - when: never\n  needs: [{job: nope, optional: true}]\n  script: [x]\n");
    }

    // yaml_processor.rb:125-133: a need repeated in one needs list is an error.
    [Fact]
    public void Duplicated_needs_are_an_error()
    {
        var ex = PipelineFixture.Error("a:\n  stage: build\n  script: [x]\nb:\n  needs: [a, {job: a, artifacts: false}]\n  script: [x]\n");
        Assert.Contains("needs duplicated: a", ex.Message);
    }

    // yaml_processor.rb:152-157 `dependency_stage_index <= job_stage_index`: the current stage is allowed for
    // dependencies (with or without needs), a later stage is "not defined in current or prior stages".
    [Fact]
    public void Dependency_in_the_same_stage_is_accepted_a_later_stage_is_not()
    {
        var pipeline = PipelineFixture.Load("a:\n  script: [x]\nb:\n  dependencies: [a]\n  script: [x]\n");
        Assert.Equal("test", pipeline.Job("a").Stage);
        var ex = PipelineFixture.Error("a:\n  stage: deploy\n  script: [x]\nb:\n  dependencies: [a]\n  script: [x]\n");
        ex.At(5, 18);
        Assert.Contains("later stage deploy", ex.Message);
        // and for excluded jobs too (validation before filtering)
        PipelineFixture.Error("a:\n  stage: deploy\n  script: [x]\nb:\n  when: manual\n  only: [tags]\n  dependencies: [a]\n  script: [x]\n").At(7, 18);
    }

    // yaml_processor.rb:99-107 validate_dynamic_child_pipeline_dependencies!: trigger:include:job is a dependency.
    [Fact]
    public void Trigger_include_artifact_job_must_be_defined()
    {
        var ex = PipelineFixture.Error("gen:\n  stage: build\n  script: [x]\nchild:\n  trigger:\n    include:\n      - artifact: c.yml\n        job: gne\n");
        ex.At(8, 14);
        Assert.Contains("undefined dependency 'gne' (did you mean 'gen'?)", ex.Message);
    }

    // config/entry/job.rb (validate on: :composed): with needs, each dependency must be needed — for excluded jobs too.
    [Fact]
    public void Dependency_not_in_needs_is_an_error_even_when_excluded()
    {
        var ex = PipelineFixture.Error("one:\n  script: [x]\ntwo:\n  script: [x]\nt:\n  only: [tags]\n  needs: [one]\n  dependencies: [one, two]\n  script: [x]\n");
        ex.At(8, 23);
        Assert.Contains("should be part of needs", ex.Message);
    }
}
