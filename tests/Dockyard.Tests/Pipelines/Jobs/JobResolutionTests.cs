namespace Dockyard.Tests.Pipelines.Jobs;

public class JobResolutionTests
{
    [Fact]
    public void Default_stages_wrap_pre_and_post_and_jobs_default_to_test()
    {
        var pipeline = PipelineFixture.Load("job:\n  script: [echo]\n");
        Assert.Equal([".pre", "build", "test", "deploy", ".post"], pipeline.Stages);
        var job = pipeline.Job("job");
        Assert.Equal("test", job.Stage);
        Assert.Equal("on_success", job.When);
        Assert.False(job.AllowFailure);
        Assert.Null(job.Needs);
    }

    [Fact]
    public void Declared_stages_keep_order_and_pre_post_are_added()
    {
        var pipeline = PipelineFixture.Load("stages: [deploy, build]\nstages2: {}\n".Replace("stages2: {}\n", "") + "a:\n  stage: .post\n  script: [x]\n");
        Assert.Equal([".pre", "deploy", "build", ".post"], pipeline.Stages);
    }

    [Fact]
    public void Unknown_stage_is_reported_at_the_stage_value()
    {
        var ex = PipelineFixture.Error("stages: [build]\njob:\n  stage: tset\n  script: [x]\n");
        ex.At(3, 10);
        Assert.Contains("chosen stage 'tset' does not exist", ex.Message);
    }

    [Fact]
    public void Job_without_script_is_reported_at_its_name()
    {
        var ex = PipelineFixture.Error("ok:\n  script: [x]\nbroken:\n  stage: test\n");
        ex.At(3, 1);
        Assert.Contains("job 'broken' has no script", ex.Message);
    }

    [Fact]
    public void Hidden_jobs_need_no_script_and_are_not_jobs()
    {
        var pipeline = PipelineFixture.Load(".template:\n  stage: build\njob:\n  script: [x]\n");
        Assert.Equal(["job"], pipeline.Jobs.Select(j => j.Name));
    }

    [Fact]
    public void Unknown_keyword_suggests_the_close_one()
    {
        var ex = PipelineFixture.Error("job:\n  script: [x]\n  stgae: build\n");
        ex.At(3, 3);
        Assert.Contains("unknown keyword 'stgae' (did you mean 'stage'?)", ex.Message);
    }

    [Fact]
    public void A_pipeline_needs_a_visible_job()
    {
        var ex = PipelineFixture.Error(".hidden:\n  script: [x]\n");
        Assert.Contains("no visible job", ex.Message);
    }

    [Fact]
    public void Job_must_be_a_hash()
    {
        var ex = PipelineFixture.Error("job: echo\n");
        ex.At(1, 1);
    }

    [Fact]
    public void Scripts_are_flattened_from_anchors_and_strings()
    {
        var pipeline = PipelineFixture.Load(".s: &s\n  - one\n  - [two, three]\njob:\n  before_script: single\n  script:\n    - *s\n    - four\n");
        var job = pipeline.Job("job");
        Assert.Equal(["one", "two", "three", "four"], job.Script);
        Assert.Equal(["single"], job.BeforeScript);
    }

    [Fact]
    public void Script_with_a_hash_item_is_an_error()
    {
        var ex = PipelineFixture.Error("job:\n  script:\n    - echo: x\n");
        ex.At(3, 7);
    }

    [Fact]
    public void Extends_merges_parents_in_order_and_child_wins()
    {
        var pipeline = PipelineFixture.Load("""
            .base:
              stage: build
              variables: {A: base, B: base}
              script: [base]
              tags: [base]
            .other:
              extends: .base
              variables: {B: other, C: other}
              script: [other]
            job:
              extends: [.other]
              variables: {C: job}
              tags: [job]
            """);
        var job = pipeline.Job("job");
        Assert.Equal("build", job.Stage);
        Assert.Equal(["other"], job.Script);
        Assert.Equal(["job"], job.Tags);
        Assert.Equal("base", job.Variables["A"].Value);
        Assert.Equal("other", job.Variables["B"].Value);
        Assert.Equal("job", job.Variables["C"].Value);
        Assert.False(job.Definition.ContainsKey("extends"));
    }

    [Fact]
    public void Extends_list_later_parent_wins()
    {
        var job = PipelineFixture.Load(".a:\n  stage: build\n  script: [a]\n.b:\n  stage: deploy\njob:\n  extends: [.a, .b]\n").Job("job");
        Assert.Equal("deploy", job.Stage);
        Assert.Equal(["a"], job.Script);
    }

    [Fact]
    public void Extends_cycle_is_reported()
    {
        var ex = PipelineFixture.Error(".a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n  script: [x]\n");
        Assert.Contains("circular dependency detected in extends", ex.Message);
        Assert.Equal(".gitlab-ci.yml", ex.Location.File);
        Assert.True(ex.Location.Line > 0);
    }

    [Fact]
    public void Extends_missing_parent_is_reported_at_the_name()
    {
        var ex = PipelineFixture.Error(".build:\n  stage: build\njob:\n  extends: .biuld\n  script: [x]\n");
        ex.At(4, 12);
        Assert.Contains("'.biuld', which does not exist (did you mean '.build'?)", ex.Message);
    }

    [Fact]
    public void Extends_deeper_than_eleven_levels_is_an_error()
    {
        var yaml = string.Concat(Enumerable.Range(1, 12).Select(i => $".t{i}:\n  extends: .t{i + 1}\n")) + ".t13:\n  script: [x]\njob:\n  extends: .t1\n";
        var ex = PipelineFixture.Error(yaml);
        Assert.Contains("more than 11 levels", ex.Message);
    }

    [Fact]
    public void Reference_copies_values_and_nested_lists_flatten()
    {
        var pipeline = PipelineFixture.Load("""
            .setup:
              script: [a, b]
              vars: {X: "1"}
            .more:
              script:
                - !reference [.setup, script]
                - c
            job:
              variables: !reference [.setup, vars]
              script:
                - !reference [.more, script]
                - d
            """);
        var job = pipeline.Job("job");
        Assert.Equal(["a", "b", "c", "d"], job.Script);
        Assert.Equal("1", job.Variables["X"].Value);
    }

    [Fact]
    public void Reference_sees_extended_values_and_top_level_scalars()
    {
        var pipeline = PipelineFixture.Load(".base:\n  image: alpine\n.child:\n  extends: .base\n.tag: runner-x\njob:\n  image: !reference [.child, image]\n  tags: [!reference [.tag]]\n  script: [x]\n");
        var job = pipeline.Job("job");
        Assert.Equal("alpine", job.Image!.Name);
        Assert.Equal(["runner-x"], job.Tags);
    }

    [Fact]
    public void Missing_reference_is_reported_at_the_tag()
    {
        var ex = PipelineFixture.Error(".a:\n  script: [x]\njob:\n  script: !reference [.a, scirpt]\n");
        ex.At(4, 11);
        Assert.Contains("!reference [.a, scirpt] could not be found", ex.Message);
    }

    [Fact]
    public void Circular_reference_is_reported()
    {
        var ex = PipelineFixture.Error(".a:\n  s: !reference [.b, s]\n.b:\n  s: !reference [.a, s]\njob:\n  script: !reference [.a, s]\n");
        Assert.Contains("circular !reference", ex.Message);
    }

    [Fact]
    public void Reference_nesting_is_limited_to_ten_levels()
    {
        string Chain(int levels) => string.Concat(Enumerable.Range(1, levels).Select(i => $".r{i}:\n  s: !reference [.r{i + 1}, s]\n"))
            + $".r{levels + 1}:\n  s: [x]\njob:\n  script: !reference [.r1, s]\n";
        Assert.Equal(["x"], PipelineFixture.Load(Chain(9)).Job("job").Script);
        var ex = PipelineFixture.Error(Chain(10));
        Assert.Contains("more than 10 levels", ex.Message);
    }

    [Fact]
    public void Defaults_fill_missing_keys_and_job_keys_replace_them()
    {
        var pipeline = PipelineFixture.Load("""
            default:
              image: ruby:3
              before_script: [setup]
              tags: [shared]
            a:
              script: [x]
            b:
              tags: []
              script: [x]
            c:
              inherit:
                default: [image]
              script: [x]
            d:
              inherit:
                default: false
              script: [x]
            """);
        Assert.Equal("ruby:3", pipeline.Job("a").Image!.Name);
        Assert.Equal(["setup"], pipeline.Job("a").BeforeScript);
        Assert.Empty(pipeline.Job("b").Tags);
        Assert.Equal("ruby:3", pipeline.Job("c").Image!.Name);
        Assert.Empty(pipeline.Job("c").BeforeScript);
        Assert.Null(pipeline.Job("d").Image);
    }

    [Fact]
    public void Deprecated_global_keys_act_as_defaults_with_a_warning()
    {
        var pipeline = PipelineFixture.Load("image: alpine\njob:\n  script: [x]\n");
        Assert.Equal("alpine", pipeline.Job("job").Image!.Name);
        Assert.Contains(pipeline.Warnings, w => w.Message.Contains("deprecated") && w.Location.Line == 1);
    }

    [Fact]
    public void Unknown_default_keyword_is_an_error()
    {
        var ex = PipelineFixture.Error("default:\n  stage: build\njob:\n  script: [x]\n");
        ex.At(2, 3);
    }

    [Fact]
    public void Inherit_variables_controls_global_variables()
    {
        var pipeline = PipelineFixture.Load("""
            variables:
              A: a
              B: b
            all:
              script: [x]
            none:
              inherit: {variables: false}
              script: [x]
            some:
              inherit: {variables: [B]}
              variables: {C: c}
              script: [x]
            """);
        Assert.Equal(["A", "B"], pipeline.Job("all").Variables.Keys.Order());
        Assert.Empty(pipeline.Job("none").Variables);
        Assert.Equal(["B", "C"], pipeline.Job("some").Variables.Keys.Order());
    }

    [Fact]
    public void Variables_accept_hash_form_and_numbers()
    {
        var pipeline = PipelineFixture.Load("variables:\n  N: 10\n  H:\n    value: v\n    description: d\n    expand: false\njob:\n  script: [x]\n");
        var h = pipeline.Variables["H"];
        Assert.Equal(("v", false, "d"), (h.Value, h.Expand, h.Description));
        Assert.Equal("10", pipeline.Variables["N"].Value);
    }

    [Fact]
    public void Job_variables_reject_description()
    {
        var ex = PipelineFixture.Error("job:\n  variables:\n    X: {value: v, description: d}\n  script: [x]\n");
        ex.At(3, 8);
    }

    [Fact]
    public void Image_and_services_string_and_hash_forms()
    {
        var job = PipelineFixture.Load("job:\n  image: {name: 'alpine:3', entrypoint: ['']}\n  services:\n    - docker:dind\n    - name: postgres:16\n      alias: db\n  script: [x]\n").Job("job");
        Assert.Equal("alpine:3", job.Image!.Name);
        Assert.Equal([""], job.Image.Entrypoint);
        Assert.Equal(["docker:dind", "postgres:16"], job.Services.Select(s => s.Name));
        Assert.Equal("db", job.Services[1].Alias);
    }

    // lib/gitlab/ci/config/entry/service.rb: `variables` is an Entry::Variables without allowed value data, so every
    // value must be a plain string (variable.rb: a hash value "must be a string"); the key is not allowed on image:.
    [Fact]
    public void Service_variables_are_carried_as_strings_and_a_hash_value_or_list_is_an_error()
    {
        var job = PipelineFixture.Load("job:\n  services:\n    - name: postgres:17\n      variables:\n        POSTGRES_DB: app\n        PORT: 5432\n        URL: $DATABASE\n    - redis:8\n  script: [x]\n").Job("job");
        Assert.Equal(new Dictionary<string, string> { ["POSTGRES_DB"] = "app", ["PORT"] = "5432", ["URL"] = "$DATABASE" }, job.Services[0].Variables);
        Assert.Empty(job.Services[1].Variables);

        var hash = PipelineFixture.Error("job:\n  services:\n    - name: postgres:17\n      variables:\n        DB: {value: app, expand: false}\n  script: [x]\n");
        hash.At(5, 13);
        Assert.Contains("services postgres:17: variable 'DB' must be a string", hash.Message);
        PipelineFixture.Error("job:\n  services:\n    - name: postgres:17\n      variables: [A]\n  script: [x]\n").At(4, 18);
        PipelineFixture.Error("job:\n  image: {name: alpine, variables: {A: b}}\n  script: [x]\n");
        PipelineFixture.Error("services:\n  - name: postgres:17\n    variables: {DB: {value: app}}\njob:\n  script: [x]\n");
    }

    // lib/gitlab/ci/config/entry/schemas/imageable/executor_opts.json: docker: {platform: string 1-64, user: string 1-255}, nothing else.
    [Fact]
    public void Image_and_service_docker_platform_and_user_are_carried_and_checked_as_GitLab_does()
    {
        var job = PipelineFixture.Load("job:\n  image: {name: alpine, docker: {platform: linux/arm64/v8, user: '1000:1000'}}\n  services:\n    - name: postgres:17\n      docker: {user: postgres}\n  script: [x]\n").Job("job");
        Assert.Equal("linux/arm64/v8", job.Image!.DockerPlatform);
        Assert.Equal("1000:1000", job.Image.DockerUser);
        Assert.Null(job.Services[0].DockerPlatform);
        Assert.Equal("postgres", job.Services[0].DockerUser);

        var number = PipelineFixture.Error("job:\n  image:\n    name: alpine\n    docker: {user: 1000}\n  script: [x]\n");
        number.At(4, 20);
        Assert.Contains("docker user must be a string, not a number", number.Message);
        var unknown = PipelineFixture.Error("job:\n  image:\n    name: alpine\n    docker: {platfrom: linux/amd64}\n  script: [x]\n");
        unknown.At(4, 14);
        Assert.Contains("unknown docker keyword 'platfrom'", unknown.Message);
        PipelineFixture.Error("job:\n  image: {name: alpine, docker: linux/amd64}\n  script: [x]\n").At(2, 33);
        PipelineFixture.Error("job:\n  image: {name: alpine, docker: {platform: ''}}\n  script: [x]\n");
        PipelineFixture.Error($"job:\n  services:\n    - name: redis\n      docker: {{platform: {new string('x', 65)}}}\n  script: [x]\n");
    }

    [Fact]
    public void Image_hash_without_name_is_an_error()
    {
        PipelineFixture.Error("job:\n  image: {entrypoint: ['']}\n  script: [x]\n").At(2, 10);
    }

    [Fact]
    public void When_and_allow_failure()
    {
        var pipeline = PipelineFixture.Load("""
            manual:
              when: manual
              script: [x]
            manual-strict:
              when: manual
              allow_failure: false
              script: [x]
            codes:
              allow_failure: {exit_codes: [3, 4]}
              script: [x]
            delayed:
              when: delayed
              start_in: 5 minutes
              script: [x]
            """);
        Assert.True(pipeline.Job("manual").AllowFailure);
        Assert.False(pipeline.Job("manual-strict").AllowFailure);
        Assert.Equal([3, 4], pipeline.Job("codes").AllowFailureExitCodes);
        Assert.Equal("5 minutes", pipeline.Job("delayed").StartIn);
    }

    [Fact]
    public void Invalid_when_is_reported()
    {
        PipelineFixture.Error("job:\n  when: sometimes\n  script: [x]\n").At(2, 9);
        PipelineFixture.Error("job:\n  when: delayed\n  script: [x]\n").At(2, 9);
    }

    [Fact]
    public void Trigger_jobs_need_no_script()
    {
        var job = PipelineFixture.Load("child:\n  trigger:\n    include: child.yml\n").Job("child");
        Assert.NotNull(job.Trigger);
    }

    [Fact]
    public void Environment_artifacts_cache_retry_timeout_are_kept()
    {
        var job = PipelineFixture.Load("job:\n  environment: {name: review/$CI_COMMIT_REF_SLUG, url: https://x}\n  artifacts: {paths: [out]}\n  cache: {key: k, paths: [c]}\n  retry: 2\n  timeout: 1h 30m\n  script: [x]\n").Job("job");
        Assert.Equal("review/$CI_COMMIT_REF_SLUG", job.EnvironmentName);
        Assert.NotNull(job.Artifacts);
        Assert.NotNull(job.Cache);
        Assert.Equal("2", Assert.IsType<Dockyard.Pipelines.Yaml.YamlScalar>(job.Retry).Text);
        Assert.Equal("1h 30m", job.Timeout);
    }

    [Fact]
    public void Type_is_a_deprecated_alias_of_stage_and_spec_is_a_job_in_a_single_document()
    {
        var pipeline = PipelineFixture.Load("deploy:\n  type: deploy\n  script: [x]\nspec:\n  script: [crystal spec]\n");
        Assert.Equal("deploy", pipeline.Job("deploy").Stage);
        Assert.Contains(pipeline.Warnings, w => w.Message.Contains("type is a deprecated alias") && w.Location.Line == 2);
        Assert.Equal(["crystal spec"], pipeline.Job("spec").Script);
    }

    [Fact]
    public void Reference_can_index_a_list()
    {
        var job = PipelineFixture.Load(".svc:\n  - name: a\n  - name: b\njob:\n  services: [!reference [.svc, 1]]\n  script: [x]\n").Job("job");
        Assert.Equal("b", Assert.Single(job.Services).Name);
    }
}
