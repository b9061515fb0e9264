using System.Diagnostics;

namespace Dockyard.Tests.Pipelines.Rules;

public class RulesTests
{
    [Fact]
    public void First_matching_rule_decides_when_and_allow_failure()
    {
        var pipeline = PipelineFixture.Load("""
            deploy:
              rules:
                - if: $CI_COMMIT_TAG
                  when: always
                - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
                  when: manual
                - when: never
              script: [x]
            soft:
              rules:
                - if: $CI_COMMIT_BRANCH =~ /^ma/i
                  allow_failure: true
              script: [x]
            """);
        var deploy = pipeline.Job("deploy");
        Assert.Equal("manual", deploy.When);
        Assert.False(deploy.AllowFailure);
        Assert.True(pipeline.Job("soft").AllowFailure);
        Assert.Equal("on_success", pipeline.Job("soft").When);
    }

    [Fact]
    public void No_matching_rule_lists_the_job_as_never()
    {
        var pipeline = PipelineFixture.Load("tagged:\n  rules:\n    - if: $CI_COMMIT_TAG\n  script: [x]\nnever:\n  rules:\n    - when: never\n  script: [x]\n");
        Assert.Equal("never", pipeline.Job("tagged").When);
        Assert.Equal("never", pipeline.Job("never").When);
        Assert.Empty(pipeline.ActiveJobs);
    }

    [Fact]
    public void Rules_if_compares_variable_values_as_written()
    {
        var pipeline = PipelineFixture.Load("variables:\n  CONTEXT: $CI_PROJECT_DIR\njob:\n  rules:\n    - if: $CONTEXT != $CI_PROJECT_DIR\n  script: [x]\n",
            f => f.Variables["CI_PROJECT_DIR"] = "/builds/app");
        Assert.Equal("on_success", pipeline.Job("job").When);
    }

    [Fact]
    public void Rules_variables_override_job_variables_and_rules_needs_replace()
    {
        var pipeline = PipelineFixture.Load("""
            variables: {MODE: global}
            a:
              stage: build
              script: [x]
            b:
              variables: {MODE: job}
              needs: []
              rules:
                - if: $MODE == "job"
                  variables: {MODE: rule}
                  needs: [a]
              script: [x]
            """);
        var b = pipeline.Job("b");
        Assert.Equal("rule", b.Variables["MODE"].Value);
        Assert.Equal("a", Assert.Single(b.Needs!).Job);
    }

    [Fact]
    public void Matrix_variables_are_visible_to_rules()
    {
        var pipeline = PipelineFixture.Load("b:\n  parallel:\n    matrix:\n      - OS: [linux, mac]\n  rules:\n    - if: $OS == \"mac\"\n      when: manual\n    - when: on_success\n  script: [x]\n");
        Assert.Equal("on_success", pipeline.Job("b: [linux]").When);
        Assert.Equal("manual", pipeline.Job("b: [mac]").When);
    }

    [Fact]
    public void Pipeline_variables_win_over_yaml_variables()
    {
        var pipeline = PipelineFixture.Load("variables: {DEPLOY: \"no\"}\nd:\n  rules:\n    - if: $DEPLOY == \"yes\"\n  script: [x]\n", f => f.Variables["DEPLOY"] = "yes");
        Assert.Equal("on_success", pipeline.Job("d").When);
    }

    [Fact]
    public void Nested_rule_lists_from_anchors_are_flattened()
    {
        var pipeline = PipelineFixture.Load(".r: &r\n  - if: $CI_COMMIT_TAG\n    when: never\njob:\n  rules:\n    - *r\n    - when: manual\n  script: [x]\n");
        Assert.Equal("manual", pipeline.Job("job").When);
    }

    [Fact]
    public void Invalid_if_is_reported_at_the_expression()
    {
        var ex = PipelineFixture.Error("job:\n  rules:\n    - if: $A == (\n  script: [x]\n");
        Assert.Equal(3, ex.Location.Line);
        Assert.Equal(".gitlab-ci.yml", ex.Location.File);
    }

    [Fact]
    public void Unknown_rule_keyword_is_reported()
    {
        var ex = PipelineFixture.Error("job:\n  rules:\n    - iff: $A\n  script: [x]\n");
        ex.At(3, 7);
        Assert.Contains("did you mean 'if'", ex.Message);
    }

    [Fact]
    public void Rules_and_only_together_are_an_error()
    {
        PipelineFixture.Error("job:\n  rules: [{when: always}]\n  only: [main]\n  script: [x]\n").At(2, 3);
    }

    [Fact]
    public void Exists_globs_project_files_with_variables()
    {
        var pipeline = PipelineFixture.Load("""
            docker:
              rules:
                - exists: [Dockerfile]
              script: [x]
            deep:
              rules:
                - exists: {paths: ["src/**/*.csproj"]}
              script: [x]
            var:
              variables: {NAME: app}
              rules:
                - exists: ["$NAME.txt"]
              script: [x]
            none:
              rules:
                - exists: [missing/*]
              script: [x]
            """, f => f.Write("Dockerfile", "FROM scratch").Write("src/a/b/app.csproj", "").Write("app.txt", ""));
        Assert.Equal(["on_success", "on_success", "on_success", "never"], pipeline.Jobs.Select(j => j.When));
    }

    [Fact]
    public void Only_and_except_refs_keywords_and_regexes()
    {
        var pipeline = PipelineFixture.Load("""
            default-only:
              script: [x]
            tags-only:
              only: [tags]
              script: [x]
            main-only:
              only: [main]
              script: [x]
            regex:
              only: ['/^ma.n$/']
              script: [x]
            except-main:
              except: [main]
              script: [x]
            vars:
              only:
                variables: [$DEPLOY == "1"]
              script: [x]
            pushes:
              only: {refs: [pushes, schedules]}
              script: [x]
            """);
        Assert.Equal(["on_success", "never", "on_success", "on_success", "never", "never", "on_success"], pipeline.Jobs.Select(j => j.When));
    }

    [Fact]
    public void Only_on_a_tag_pipeline()
    {
        var pipeline = PipelineFixture.Load("t:\n  only: [tags]\n  script: [x]\nb:\n  only: [branches]\n  script: [x]\n", f =>
        {
            f.Variables.Remove("CI_COMMIT_BRANCH");
            f.Variables["CI_COMMIT_TAG"] = "v1";
            f.Variables["CI_COMMIT_REF_NAME"] = "v1";
        });
        Assert.Equal(["on_success", "never"], pipeline.Jobs.Select(j => j.When));
    }

    [Fact]
    public void Workflow_rules_can_prevent_the_pipeline_and_set_variables()
    {
        var off = PipelineFixture.Load("workflow:\n  rules:\n    - if: $CI_COMMIT_TAG\njob:\n  script: [x]\n");
        Assert.False(off.Created);
        var on = PipelineFixture.Load("variables: {ENV: dev}\nworkflow:\n  rules:\n    - if: $CI_COMMIT_BRANCH == \"main\"\n      variables: {ENV: prod}\n    - when: always\njob:\n  rules:\n    - if: $ENV == \"prod\"\n  script: [x]\n");
        Assert.True(on.Created);
        Assert.Equal("prod", on.Variables["ENV"].Value);
        Assert.Equal("on_success", on.Job("job").When);
    }

    [Fact]
    public void Workflow_when_manual_is_rejected()
    {
        PipelineFixture.Error("workflow:\n  rules:\n    - when: manual\njob:\n  script: [x]\n").At(3, 13);
    }

    [Fact]
    public void Changes_compare_with_the_default_branch_using_git()
    {
        using var f = new PipelineFixture("""
            docs:
              rules:
                - changes: ["docs/**/*"]
              script: [x]
            src:
              rules:
                - changes: [src/*.cs]
              script: [x]
            """);
        f.Write("src/a.cs", "class A {}").Write("docs/readme.md", "v1");
        Git(f.Directory, "init", "-q", "-b", "main");
        Git(f.Directory, "add", "-A");
        Git(f.Directory, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init");
        Git(f.Directory, "checkout", "-q", "-b", "feature");
        f.Write("docs/readme.md", "v2");
        f.Variables["CI_DEFAULT_BRANCH"] = "main";
        var pipeline = f.Load();
        Assert.Equal("on_success", pipeline.Job("docs").When);
        Assert.Equal("never", pipeline.Job("src").When);
    }

    // lib/gitlab/ci/build/rules/rule/clause/changes.rb `return true unless modified_paths`: without a list of changed
    // paths (no base branch to compare with, as for a push creating a branch) changes is true — for only:changes too.
    [Fact]
    public void Changes_without_a_base_to_compare_with_are_true()
    {
        using var f = new PipelineFixture("docs:\n  rules:\n    - changes: [\"docs/**/*\"]\n  script: [x]\nold:\n  only:\n    changes: [nothing/*]\n  script: [x]\n");
        f.Write("docs/readme.md", "v1");
        Git(f.Directory, "init", "-q", "-b", "feature");
        Git(f.Directory, "add", "-A");
        Git(f.Directory, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "init");
        f.Variables["CI_DEFAULT_BRANCH"] = "main"; // no main, no origin/main
        var pipeline = f.Load();
        Assert.Equal("on_success", pipeline.Job("docs").When);
        Assert.Equal("on_success", pipeline.Job("old").When);
    }

    private static void Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"git {string.Join(" ", args)} failed: {process.StandardError.ReadToEnd()}");
    }
}
