namespace Dockyard.Tests.Pipelines.Includes;

public class IncludeTests
{
    [Fact]
    public void Local_includes_merge_depth_first_and_the_including_file_wins()
    {
        using var f = new PipelineFixture("include:\n  - local: ci/a.yml\n  - /ci/b.yml\njob:\n  stage: deploy\n");
        f.Write("ci/a.yml", "include: ci/nested.yml\njob:\n  stage: build\n  script: [a]\n  variables: {A: a}\n");
        f.Write("ci/nested.yml", "nested:\n  script: [n]\n");
        f.Write("ci/b.yml", "job:\n  variables: {B: b}\n");
        var pipeline = f.Load();
        var job = pipeline.Job("job");
        Assert.Equal("deploy", job.Stage);
        Assert.Equal(["a"], job.Script);
        Assert.Equal(["A", "B"], job.Variables.Keys.Order());
        Assert.Contains(pipeline.Jobs, j => j.Name == "nested");
        Assert.Equal([".gitlab-ci.yml", "ci/a.yml", "ci/nested.yml", "ci/b.yml"], pipeline.Files);
    }

    [Fact]
    public void Anchors_do_not_cross_files()
    {
        using var f = new PipelineFixture("include: a.yml\njob:\n  <<: *shared\n  script: [x]\n");
        f.Write("a.yml", ".shared: &shared\n  stage: build\n");
        f.Error().At(3, 7);
    }

    [Fact]
    public void Wildcards_include_every_match_sorted()
    {
        using var f = new PipelineFixture("include: 'ci/*.yml'\n");
        f.Write("ci/b.yml", "b:\n  script: [b]\n").Write("ci/a.yml", "a:\n  script: [a]\n").Write("ci/sub/c.yml", "c:\n  script: [c]\n");
        var pipeline = f.Load();
        Assert.Equal(["a", "b"], pipeline.Jobs.Select(j => j.Name));
    }

    [Fact]
    public void Double_star_wildcards_cross_directories()
    {
        using var f = new PipelineFixture("include: 'ci/**.yml'\n");
        f.Write("ci/a.yml", "a:\n  script: [a]\n").Write("ci/sub/c.yml", "c:\n  script: [c]\n");
        Assert.Equal(["a", "c"], f.Load().Jobs.Select(j => j.Name).Order());
    }

    [Fact]
    public void Include_paths_expand_pipeline_variables()
    {
        using var f = new PipelineFixture("include:\n  local: ci/$TARGET.yml\n");
        f.Write("ci/linux.yml", "linux:\n  script: [x]\n");
        f.Variables["TARGET"] = "linux";
        Assert.Equal(["linux"], f.Load().Jobs.Select(j => j.Name));
    }

    [Fact]
    public void Include_rules_decide_which_files_are_merged()
    {
        using var f = new PipelineFixture("""
            include:
              - local: yes.yml
                rules:
                  - if: $CI_COMMIT_BRANCH == "main"
              - local: no.yml
                rules:
                  - if: $CI_COMMIT_TAG
              - local: exists.yml
                rules:
                  - exists: [marker.txt]
            """);
        f.Write("yes.yml", "yes-job:\n  script: [x]\n").Write("no.yml", "no-job:\n  script: [x]\n").Write("exists.yml", "exists-job:\n  script: [x]\n").Write("marker.txt", "");
        Assert.Equal(["yes-job", "exists-job"], f.Load().Jobs.Select(j => j.Name));
    }

    [Fact]
    public void Include_rules_reject_job_only_keywords()
    {
        using var f = new PipelineFixture("include:\n  - local: a.yml\n    rules:\n      - if: $X\n        allow_failure: true\njob:\n  script: [x]\n");
        f.Write("a.yml", "");
        f.Error().At(5, 9);
    }

    [Fact]
    public void Missing_local_include_is_reported_at_its_path()
    {
        var ex = PipelineFixture.Error("include:\n  - local: ci/missing.yml\njob:\n  script: [x]\n");
        ex.At(2, 12);
        Assert.Contains("include local 'ci/missing.yml' does not exist", ex.Message);
    }

    [Fact]
    public void Include_errors_point_into_the_included_file()
    {
        using var f = new PipelineFixture("include: ci/bad.yml\njob:\n  script: [x]\n");
        f.Write("ci/bad.yml", "bad:\n  stage: nowhere\n  script: [x]\n");
        f.Error().At(2, 10, "ci/bad.yml");
    }

    [Fact]
    public void Directory_traversal_is_rejected()
    {
        PipelineFixture.Error("include: ../outside.yml\njob:\n  script: [x]\n").At(1, 10);
    }

    [Fact]
    public void Unknown_include_keyword_suggests()
    {
        var ex = PipelineFixture.Error("include:\n  - locl: a.yml\njob:\n  script: [x]\n");
        ex.At(2, 5);
        Assert.Contains("did you mean 'local'", ex.Message);
    }

    [Fact]
    public void More_than_150_includes_is_an_error()
    {
        using var f = new PipelineFixture("include: [" + string.Join(", ", Enumerable.Repeat("a.yml", 151)) + "]\njob:\n  script: [x]\n");
        f.Write("a.yml", "a:\n  script: [x]\n");
        Assert.Contains("more than 150 included files", f.Error().Message);
        using var ok = new PipelineFixture("include: [" + string.Join(", ", Enumerable.Repeat("a.yml", 150)) + "]\n");
        ok.Write("a.yml", "a:\n  script: [x]\n");
        Assert.Single(ok.Load().Jobs);
    }

    [Fact]
    public void Remote_template_project_component_without_cache_name_the_include()
    {
        foreach (var include in new[] { "template: Jobs/Build.gitlab-ci.yml", "remote: https://example.com/ci.yml", "project: g/p\n    file: ci.yml", "component: gitlab.com/g/p/build@1.0" })
        {
            var ex = PipelineFixture.Error($"include:\n  - {include}\njob:\n  script: [x]\n");
            Assert.Equal(2, ex.Location.Line);
            Assert.Contains("--include-cache", ex.Message);
        }
    }

    [Fact]
    public void Templates_projects_remotes_components_come_from_the_cache()
    {
        using var cache = new PipelineFixture();
        cache.Write("Jobs__Build/.gitlab-ci.yml", "tpl:\n  script: [t]\n");
        cache.Write("projects/group/lib/v1/ci/lib.yml", "include: ci/inner.yml\nproj:\n  script: [p]\n");
        cache.Write("projects/group/lib/v1/ci/inner.yml", "inner:\n  script: [i]\n");
        cache.Write("remote/example.com/ci/remote.yml", "rem:\n  script: [r]\n");
        cache.Write("components/gitlab.com/g/p/1.0/templates/build.yml", "spec:\n  inputs: {}\n---\ncomp:\n  script: [c]\n");
        using var f = new PipelineFixture("""
            include:
              - template: Jobs/Build.gitlab-ci.yml
              - project: group/lib
                ref: v1
                file: /ci/lib.yml
              - https://example.com/ci/remote.yml
              - component: gitlab.com/g/p/build@1.0
            """);
        f.IncludeCache = cache.Directory;
        Assert.Equal(["tpl", "inner", "proj", "rem", "comp"], f.Load().Jobs.Select(j => j.Name));
    }

    [Fact]
    public void Missing_cached_include_says_where_to_put_it()
    {
        using var cache = new PipelineFixture();
        using var f = new PipelineFixture("include:\n  - template: Nope.gitlab-ci.yml\njob:\n  script: [x]\n");
        f.IncludeCache = cache.Directory;
        var ex = f.Error();
        ex.At(2, 15);
        Assert.Contains("templates/Nope.gitlab-ci.yml", ex.Message);
    }

    [Fact]
    public void Empty_or_missing_pipeline_files_are_reported()
    {
        Assert.Contains("empty", PipelineFixture.Error("# nothing\n").Message);
        using var f = new PipelineFixture();
        Assert.Contains("pipeline file not found", f.Error().Message);
    }

    [Fact]
    public void A_spec_header_document_is_skipped()
    {
        var pipeline = PipelineFixture.Load("spec:\n  inputs:\n    x: {default: y}\n---\njob:\n  script: [x]\n");
        Assert.Single(pipeline.Jobs);
    }
}
