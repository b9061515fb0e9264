using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;

namespace Dockyard.Tests.Jobs;

/// <summary>Whole pipelines end to end: stages, needs, artifacts, dotenv, cache, when after failures.</summary>
public class PipelineRunTests
{
    private const string Pipeline = """
        stages: [build, test, deploy]
        build:
          stage: build
          script:
            - mkdir -p dist/sub dist/empty logs
            - echo app > dist/app.txt
            - echo debug > dist/app.debug
            - echo nested > dist/sub/n.txt
            - echo log > logs/build.log
            - echo untracked > notes.txt
            - echo "BUILD_VERSION=1.2.3" > build.env
            - echo "QUOTED='a b'" >> build.env
            - echo "edited" >> tracked.txt
          artifacts:
            paths: [dist/, "logs/*.log"]
            exclude: ["dist/**/*.debug"]
            untracked: true
            reports:
              dotenv: build.env
        other:
          stage: build
          script: [mkdir -p other, echo o > other/o.txt]
          artifacts:
            paths: [other]
        unit:
          stage: test
          needs: [build]
          script:
            - find . -path ./.git -prune -o -type f -print | sort
            - echo "version=$BUILD_VERSION quoted=$QUOTED"
            - cat tracked.txt
            - test -d dist/empty && echo "empty dir kept"
        no_artifacts:
          stage: test
          needs:
            - job: build
              artifacts: false
          script:
            - test ! -e dist/app.txt && echo "no dist"
            - echo "version=${BUILD_VERSION:-none}"
        only_other:
          stage: test
          dependencies: [other]
          script:
            - test -e other/o.txt && echo "has other"
            - test ! -e dist/app.txt && echo "no build artifacts"
        deploy:
          stage: deploy
          script:
            - test -e other/o.txt && test -e dist/app.txt && echo "has both"
        """;

    [Fact]
    public void Artifacts_dotenv_and_needs_reach_exactly_the_jobs_GitLab_gives_them_to()
    {
        using var p = new JobProject(Pipeline, ("tracked.txt", "tracked\n"), ("src/main.c", "int main;\n"));
        p.Write("uncommitted.txt", "not added\n");
        var result = p.RunPipeline(concurrency: 2);
        Assert.False(result.Failed, string.Join("\n", result.Jobs.Select(j => $"{j.Name} {j.Status} {j.FailureReason}")));
        Assert.All(result.Jobs, j => Assert.Equal(JobStatus.Success, j.Status));

        var unit = p.Log.Of("unit");
        Assert.Contains("./dist/app.txt", unit);
        Assert.Contains("./dist/sub/n.txt", unit);
        Assert.Contains("./logs/build.log", unit);
        Assert.Contains("./notes.txt", unit);
        Assert.Contains("./build.env", unit);
        Assert.Contains("./src/main.c", unit);
        Assert.Contains("./.gitlab-ci.yml", unit);
        Assert.DoesNotContain("./dist/app.debug", unit);
        Assert.DoesNotContain("./uncommitted.txt", unit);
        Assert.DoesNotContain("./other/o.txt", unit);
        Assert.Contains("version=1.2.3 quoted=a b", unit);
        Assert.Contains("empty dir kept", unit);
        // tracked.txt as the build job left it (untracked: true only adds untracked files; tracked ones come from the checkout).
        Assert.DoesNotContain("edited", unit);

        Assert.Contains("no dist", p.Log.Of("no_artifacts"));
        Assert.Contains("version=none", p.Log.Of("no_artifacts"));
        Assert.Contains("has other", p.Log.Of("only_other"));
        Assert.Contains("no build artifacts", p.Log.Of("only_other"));
        Assert.Contains("has both", p.Log.Of("deploy"));

        // needs let unit start without waiting for 'other'; stage order makes deploy wait for every earlier job.
        var order = p.Log.Order.ToList();
        foreach (var earlier in new[] { "build", "other", "unit", "no_artifacts", "only_other" })
            Assert.True(order.IndexOf("end " + earlier) < order.IndexOf("start deploy"), earlier);
        Assert.True(order.IndexOf("end build") < order.IndexOf("start unit"));
        Assert.True(File.Exists(Path.Combine(p.Directory, ".dockyard", "artifacts", "build", "dist", "app.txt")));
        Assert.False(File.Exists(Path.Combine(p.Directory, "dist", "app.txt")));
    }

    [Fact]
    public void A_single_job_receives_artifacts_stored_by_an_earlier_run_and_artifacts_to_source_copies_them_back()
    {
        using var p = new JobProject(Pipeline, ("tracked.txt", "tracked\n"));
        Assert.False(p.RunJobs("build").Failed);
        Assert.Contains("version=1.2.3 quoted=a b", RunAndLog(p, "unit"));
        var result = p.Run(new RunSelection { Jobs = ["other"] }, artifactsToSource: true);
        Assert.False(result.Failed);
        Assert.True(File.Exists(Path.Combine(p.Directory, "other", "o.txt")));
        Assert.False(File.Exists(Path.Combine(p.Directory, "dist", "app.txt")), "only the run's jobs' artifacts are copied back");
    }

    private static IReadOnlyList<string> RunAndLog(JobProject p, string job)
    {
        Assert.False(p.RunJobs(job).Failed);
        return p.Log.Of(job);
    }

    [Fact]
    public void Needs_option_runs_what_a_job_needs_first()
    {
        using var p = new JobProject(Pipeline, ("tracked.txt", "tracked\n"));
        var result = p.Run(new RunSelection { Jobs = ["unit"], Needs = true });
        Assert.Equal(["build", "unit"], result.Jobs.Select(j => j.Name));
        Assert.False(result.Failed);
    }

    [Fact]
    public void When_on_failure_always_and_allow_failure_decide_what_runs_after_a_failure()
    {
        using var p = new JobProject("""
            stages: [one, two, three]
            tolerated:
              stage: one
              script: [exit 1]
              allow_failure: true
            fails:
              stage: two
              script: [exit 1]
            after_tolerated:
              stage: two
              script: [echo ran]
            skipped:
              stage: three
              script: [echo never]
            on_failure:
              stage: three
              when: on_failure
              script: [echo cleanup]
            always:
              stage: three
              when: always
              script: [echo always]
            dag:
              stage: three
              needs: [after_tolerated]
              script: [echo dag]
            manual:
              stage: three
              when: manual
              script: [echo manual]
            """);
        var result = p.RunPipeline();
        Assert.True(result.Failed);
        Assert.True(result.Job("tolerated").AllowedToFail);
        Assert.Equal(JobStatus.Success, result.Job("after_tolerated").Status);
        Assert.Equal(JobStatus.Failed, result.Job("fails").Status);
        Assert.Equal(JobStatus.Skipped, result.Job("skipped").Status);
        Assert.Equal(JobStatus.Success, result.Job("on_failure").Status);
        Assert.Equal(JobStatus.Success, result.Job("always").Status);
        Assert.Equal(JobStatus.Success, result.Job("dag").Status);
        Assert.Equal(JobStatus.Skipped, result.Job("manual").Status);
        Assert.DoesNotContain("never", p.Log.Of("skipped"));
    }

    [Fact]
    public void Manual_jobs_are_listed_unless_asked_for_and_a_blocking_manual_job_blocks_later_stages()
    {
        using var p = new JobProject("""
            stages: [one, two]
            gate:
              stage: one
              when: manual
              allow_failure: false
              script: [echo gate]
            optional:
              stage: one
              when: manual
              script: [echo optional]
            after:
              stage: two
              script: [echo after]
            """);
        var result = p.RunPipeline();
        Assert.Equal(JobStatus.Manual, result.Job("gate").Status);
        Assert.Equal(JobStatus.Manual, result.Job("optional").Status);
        Assert.Equal(JobStatus.Skipped, result.Job("after").Status);
        Assert.Equal("blocked by manual job gate", result.Job("after").FailureReason);

        var triggered = p.Run(new RunSelection { Pipeline = true, Manual = ["gate"] });
        Assert.Equal(JobStatus.Success, triggered.Job("gate").Status);
        Assert.Contains("gate", p.Log.Of("gate"));
        Assert.Equal(JobStatus.Success, triggered.Job("after").Status);
    }

    [Fact]
    public void Cache_is_pulled_pushed_by_policy_and_key_files_and_falls_back()
    {
        using var p = new JobProject("""
            stages: [one, two, three]
            fill:
              stage: one
              script: [mkdir -p deps, echo "$RUN" > deps/marker, echo f > keyed.txt]
              cache:
                - key: deps-$CI_COMMIT_REF_SLUG
                  paths: [deps/]
                - key:
                    files: [lock.txt]
                    prefix: lock
                  paths: [keyed.txt]
            readonly:
              stage: two
              script: [cat deps/marker, cat keyed.txt, echo changed > deps/marker]
              cache:
                - key: deps-$CI_COMMIT_REF_SLUG
                  paths: [deps/]
                  policy: $READ_POLICY
                - key:
                    files: [lock.txt]
                    prefix: lock
                  paths: [keyed.txt]
                  policy: pull
              variables:
                READ_POLICY: pull
            fallback:
              stage: three
              script: [cat deps/marker]
              cache:
                key: missing-key
                fallback_keys: [deps-$CI_COMMIT_REF_SLUG]
                paths: [deps/]
                policy: pull
            failing_push:
              stage: three
              script: [mkdir -p deps, echo failed > deps/marker, exit 1]
              allow_failure: true
              cache:
                key: deps-$CI_COMMIT_REF_SLUG
                paths: [deps/]
            """, ("lock.txt", "v1\n"));
        var first = p.RunPipeline([new JobVariable("RUN", "first")], concurrency: 1);
        Assert.False(first.Failed, string.Join("\n", first.Jobs.Select(j => $"{j.Name} {j.Status} {j.FailureReason}")) + p.Log.TextOf("readonly"));
        Assert.Contains("first", p.Log.Of("readonly"));
        Assert.Contains("f", p.Log.Of("readonly"));
        Assert.Contains("first", p.Log.Of("fallback"));
        Assert.Contains(p.Log.Of("fallback"), l => l.StartsWith("Successfully extracted cache deps-", StringComparison.Ordinal) && l.EndsWith("(fallback for missing-key)", StringComparison.Ordinal));
        var caches = Directory.GetDirectories(Path.Combine(p.Directory, ".dockyard", "cache")).Select(Path.GetFileName).ToList();
        Assert.Contains(caches, c => c!.StartsWith("lock-", StringComparison.Ordinal));
        Assert.DoesNotContain("missing-key", caches);
        // The pull-only job's change and the failed job's change (when: on_success) were not saved.
        var marker = Directory.GetFiles(Path.Combine(p.Directory, ".dockyard", "cache"), "marker", SearchOption.AllDirectories).Single();
        Assert.Equal("first\n", File.ReadAllText(marker));

        // A changed key file gives a new key: the keyed cache misses.
        File.WriteAllText(Path.Combine(p.Directory, "lock.txt"), "v2\n");
        var second = p.Run(new RunSelection { Jobs = ["readonly"] });
        Assert.True(second.Failed);
        Assert.Contains(p.Log.Of("readonly"), l => l.StartsWith("WARNING: file does not exist: cache lock-", StringComparison.Ordinal));
    }

    [Fact]
    public void In_place_runs_in_the_checkout()
    {
        using var p = new JobProject("""
            job:
              script: [echo "$CI_PROJECT_DIR", echo made > made.txt]
            """);
        var result = p.Run(new RunSelection { Jobs = ["job"] }, inPlace: true);
        Assert.False(result.Failed);
        Assert.Contains(p.Directory, p.Log.Of("job"));
        Assert.True(File.Exists(Path.Combine(p.Directory, "made.txt")));
    }

    [Fact]
    public void Parallel_jobs_run_at_the_same_time_up_to_the_concurrency()
    {
        using var p = new JobProject("""
            a:
              script: [touch "$DIR/a", 'for i in $(seq 1 600); do test -e "$DIR/b" && break; sleep 0.1; done', test -e "$DIR/b"]
            b:
              script: [touch "$DIR/b", 'for i in $(seq 1 600); do test -e "$DIR/a" && break; sleep 0.1; done', test -e "$DIR/a"]
            """);
        var outside = p.Outside;
        var result = p.Run(new RunSelection { Pipeline = true }, [new JobVariable("DIR", outside)], concurrency: 2);
        Assert.False(result.Failed);
        Assert.All(result.Jobs, j => Assert.Equal(JobStatus.Success, j.Status));
    }
}
