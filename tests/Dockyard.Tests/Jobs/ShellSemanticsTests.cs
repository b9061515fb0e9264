using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;

namespace Dockyard.Tests.Jobs;

/// <summary>The shell executor end to end (real bash) against GitLab Runner's documented behaviour.</summary>
public class ShellSemanticsTests
{
    [Fact]
    public void Errexit_stops_at_the_first_failing_command_and_exit_N_keeps_its_code()
    {
        using var p = new JobProject("""
            job:
              before_script: [echo before]
              script:
                - echo one
                - exit 3
                - echo never
            """);
        var result = p.RunJobs("job");
        var job = result.Job("job");
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal(3, job.ExitCode);
        Assert.Equal("script_failure", job.FailureReason);
        var log = p.Log.Of("job");
        Assert.Contains("$ echo before", log);
        Assert.Contains("before", log);
        Assert.Contains("one", log);
        Assert.Contains("$ exit 3", log);
        Assert.DoesNotContain("never", log);
        Assert.Contains("ERROR: Job failed: exit code 3", log);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void A_failing_command_reports_exit_code_1_unless_the_new_eval_strategy_is_on()
    {
        using var p = new JobProject("""
            legacy:
              script: [sh -c 'exit 4', echo never]
            new_eval:
              variables:
                FF_USE_NEW_BASH_EVAL_STRATEGY: "true"
              script: [sh -c 'exit 4', echo never]
            """);
        var result = p.Run(new RunSelection { Jobs = ["legacy", "new_eval"] });
        Assert.Equal(1, result.Job("legacy").ExitCode);
        Assert.Equal(4, result.Job("new_eval").ExitCode);
        Assert.DoesNotContain("never", p.Log.Of("new_eval"));
    }

    [Fact]
    public void Pipefail_fails_a_pipeline_whose_first_command_fails()
    {
        using var p = new JobProject("""
            job:
              script:
                - false | cat
                - echo after
            """);
        var job = p.RunJobs("job").Job("job");
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.True(1 == job.ExitCode, p.Log.TextOf("job"));
        Assert.DoesNotContain("after", p.Log.Of("job"));
    }

    [Fact]
    public void Conditions_and_ored_commands_do_not_trip_errexit_noclobber_is_off_and_stdin_is_empty()
    {
        using var p = new JobProject("""
            job:
              script:
                - false || echo recovered
                - if false; then echo no; else echo branch; fi
                - echo a > f.txt
                - echo b > f.txt
                - cat f.txt
                - cat; echo "stdin was empty"
            """);
        var job = p.RunJobs("job").Job("job");
        Assert.Equal(JobStatus.Success, job.Status);
        var log = p.Log.Of("job");
        Assert.Contains("recovered", log);
        Assert.Contains("branch", log);
        Assert.Contains("b", log);
        Assert.Contains("stdin was empty", log);
        Assert.Contains("Job succeeded", log);
    }

    [Fact]
    public void A_multi_line_command_is_echoed_collapsed_and_runs_whole()
    {
        using var p = new JobProject("""
            job:
              script:
                - |
                  for i in 1 2; do
                    echo "item $i"
                  done
                - >
                  echo folded
                  words
            """);
        Assert.Equal(JobStatus.Success, p.RunJobs("job").Job("job").Status);
        var log = p.Log.Of("job");
        Assert.Contains("$ for i in 1 2; do # collapsed multi-line command", log);
        Assert.Contains("item 1", log);
        Assert.Contains("item 2", log);
        Assert.Contains("$ echo folded words", log);
        Assert.Contains("folded words", log);
    }

    [Fact]
    public void After_script_runs_in_a_new_shell_with_CI_JOB_STATUS_and_its_failure_does_not_fail_the_job()
    {
        using var p = new JobProject("""
            ok:
              script: [export FROM_SCRIPT=yes, echo fine]
              after_script:
                - echo "status=$CI_JOB_STATUS from_script=${FROM_SCRIPT:-unset} dir=$(pwd)"
                - exit 7
            bad:
              script: [exit 2]
              after_script: [echo "status=$CI_JOB_STATUS"]
            """);
        var result = p.Run(new RunSelection { Jobs = ["ok", "bad"] });
        Assert.Equal(JobStatus.Success, result.Job("ok").Status);
        Assert.Contains(p.Log.Of("ok"), l => l.StartsWith("status=success from_script=unset dir=", StringComparison.Ordinal) && l.EndsWith("/.dockyard/builds/ok", StringComparison.Ordinal));
        Assert.Contains("WARNING: after_script failed, but job will continue unaffected: exit code 7", p.Log.Of("ok"));
        Assert.Equal(JobStatus.Failed, result.Job("bad").Status);
        Assert.Equal(2, result.Job("bad").ExitCode);
        Assert.Contains("status=failed", p.Log.Of("bad"));
    }

    [Fact]
    public void After_script_has_its_own_timeout()
    {
        using var p = new JobProject("""
            job:
              variables:
                RUNNER_AFTER_SCRIPT_TIMEOUT: 2s
              script: [echo main]
              after_script: [sleep 600]
            """);
        var job = p.RunJobs("job").Job("job");
        Assert.Equal(JobStatus.Success, job.Status);
        Assert.Contains(p.Log.Of("job"), l => l.StartsWith("WARNING: after_script failed, but job will continue unaffected: execution took longer than", StringComparison.Ordinal));
    }

    [Fact]
    public void Allow_failure_exit_codes_allow_only_the_listed_codes()
    {
        using var p = new JobProject("""
            allowed:
              script: [exit 42]
              allow_failure:
                exit_codes: [42, 43]
            refused:
              script: [exit 44]
              allow_failure:
                exit_codes: 42
            plain:
              script: [exit 1]
              allow_failure: true
            """);
        var result = p.Run(new RunSelection { Jobs = ["allowed", "refused", "plain"] });
        Assert.True(result.Job("allowed").AllowedToFail);
        Assert.Equal(42, result.Job("allowed").ExitCode);
        Assert.False(result.Job("refused").AllowedToFail);
        Assert.True(result.Job("plain").AllowedToFail);
        Assert.True(result.Failed);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Retry_runs_again_until_success_and_respects_when_and_exit_codes()
    {
        using var p = new JobProject("""
            flaky:
              retry: 2
              script:
                - n=$(cat "$COUNTER" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$COUNTER"
                - echo "attempt $n"
                - test $n -ge 3
            by_code:
              retry:
                max: 2
                exit_codes: [5]
              script: [echo x >> "$COUNTER2", exit 6]
            by_reason:
              retry:
                max: 1
                when: script_failure
              script: [echo x >> "$COUNTER3", exit 1]
            """);
        var outside = p.Outside;
        var result = p.Run(new RunSelection { Jobs = ["flaky", "by_code", "by_reason"] }, [
            new JobVariable("COUNTER", Path.Combine(outside, "c1")),
            new JobVariable("COUNTER2", Path.Combine(outside, "c2")),
            new JobVariable("COUNTER3", Path.Combine(outside, "c3")),
        ]);
        Assert.Equal(JobStatus.Success, result.Job("flaky").Status);
        Assert.Equal(3, result.Job("flaky").Attempts);
        Assert.Contains("attempt 3", p.Log.Of("flaky"));
        Assert.Equal(1, result.Job("by_code").Attempts);
        Assert.Single(File.ReadAllLines(Path.Combine(outside, "c2")));
        Assert.Equal(2, result.Job("by_reason").Attempts);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(outside, "c3")).Length);
    }

    [Fact]
    public void Timeout_kills_the_whole_process_tree()
    {
        using var p = new JobProject("""
            job:
              timeout: 3 seconds
              script:
                - bash -c 'sleep 600 & echo $! > "$PIDS/grandchild"; wait'
            """);
        var outside = p.Outside;
        var job = p.Run(new RunSelection { Jobs = ["job"] }, [new JobVariable("PIDS", outside)]).Job("job");
        Assert.Equal(JobStatus.Failed, job.Status);
        Assert.Equal("job_execution_timeout", job.FailureReason);
        Assert.Contains(p.Log.Of("job"), l => l.StartsWith("ERROR: Job failed: execution took longer than 3s", StringComparison.Ordinal));
        AssertDead(int.Parse(File.ReadAllText(Path.Combine(outside, "grandchild")).Trim()));
    }

    [Fact]
    public void Background_processes_left_by_a_job_are_killed_when_it_ends()
    {
        using var p = new JobProject("""
            job:
              script:
                - sleep 600 & echo $! > "$PIDS/background"
                - echo done
            """);
        var outside = p.Outside;
        var job = p.Run(new RunSelection { Jobs = ["job"] }, [new JobVariable("PIDS", outside)]).Job("job");
        Assert.Equal(JobStatus.Success, job.Status);
        AssertDead(int.Parse(File.ReadAllText(Path.Combine(outside, "background")).Trim()));
    }

    [Fact]
    public void Cancellation_kills_the_job_tree_runs_after_script_and_cancels_the_rest()
    {
        using var p = new JobProject("""
            stages: [one, two]
            long:
              stage: one
              script:
                - bash -c 'sleep 600 & echo $! > "$PIDS/child"; wait' &
                - touch "$PIDS/started"; wait
              after_script: [echo "after $CI_JOB_STATUS"]
            later:
              stage: two
              script: [echo later]
            """);
        var outside = p.Outside;
        using var cancel = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!File.Exists(Path.Combine(outside, "child")) || !File.Exists(Path.Combine(outside, "started"))) await Task.Delay(50);
            cancel.Cancel();
        });
        var result = p.Run(new RunSelection { Pipeline = true }, [new JobVariable("PIDS", outside)], cancellation: cancel.Token);
        Assert.Equal(JobStatus.Canceled, result.Job("long").Status);
        Assert.Equal(JobStatus.Canceled, result.Job("later").Status);
        Assert.Contains("after canceled", p.Log.Of("long"));
        Assert.True(result.Failed);
        AssertDead(int.Parse(File.ReadAllText(Path.Combine(outside, "child")).Trim()));
        // The next run works on the same .dockyard directory.
        Assert.Equal(JobStatus.Success, p.RunJobs("later").Job("later").Status);
    }

    [Fact]
    public void Masked_variables_are_masked_in_every_line_also_when_written_in_pieces()
    {
        using var p = new JobProject("""
            job:
              script:
                - echo "plain $SECRET"
                - printf 'split %s' "${SECRET:0:5}"; sleep 0.2; printf '%s end\n' "${SECRET:5}"
                - echo "$SECRET" >&2
                - echo "$DERIVED"
            """);
        var result = p.Run(new RunSelection { Jobs = ["job"] }, [
            new JobVariable("SECRET", "s3cr3t-value-123", Masked: true),
            new JobVariable("DERIVED", "derived-from-$SECRET"),
        ]);
        Assert.Equal(JobStatus.Success, result.Job("job").Status);
        var log = p.Log.Of("job");
        Assert.DoesNotContain(p.Log.AllLines, l => l.Contains("s3cr3t-value-123", StringComparison.Ordinal));
        Assert.Contains("plain [MASKED]", log);
        Assert.Contains("split [MASKED] end", log);
        Assert.Contains("[MASKED]", log);
        Assert.Contains("derived-from-[MASKED]", log);
    }

    [Fact]
    public void File_variables_hold_the_path_of_a_private_file_removed_after_the_job()
    {
        using var p = new JobProject("""
            job:
              script:
                - echo "path=$CONFIG"
                - cat "$CONFIG"
                - stat -c '%a' "$CONFIG"
                - echo "$CONFIG" > "$PIDS/path"
            """);
        var outside = p.Outside;
        var result = p.Run(new RunSelection { Jobs = ["job"] }, [
            new JobVariable("CONFIG", "line one\nline two\n", IsFile: true),
            new JobVariable("PIDS", outside),
        ]);
        Assert.Equal(JobStatus.Success, result.Job("job").Status);
        var log = p.Log.Of("job");
        Assert.Contains("line one", log);
        Assert.Contains("line two", log);
        Assert.Contains("600", log);
        var path = File.ReadAllText(Path.Combine(outside, "path")).Trim();
        Assert.StartsWith(Path.Combine(p.Directory, ".dockyard", "builds"), path);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_job_sees_runner_and_predefined_variables_in_GitLab_precedence()
    {
        using var p = new JobProject("""
            variables:
              GLOBAL: global
              OVERRIDDEN: global
              RAW:
                value: "$GLOBAL"
                expand: false
            unit:
              parallel: 2
              variables:
                OVERRIDDEN: job
                EXPANDED: "x-$GLOBAL"
              script:
                - echo "node=$CI_NODE_INDEX/$CI_NODE_TOTAL name=$CI_JOB_NAME stage=$CI_JOB_STAGE server=$CI_SERVER status=$CI_JOB_STATUS"
                - echo "dir=$CI_PROJECT_DIR builds=$CI_BUILDS_DIR timeout=$CI_JOB_TIMEOUT id=$CI_JOB_ID"
                - echo "overridden=$OVERRIDDEN expanded=$EXPANDED raw=$RAW cli=$FROM_CLI"
            matrix:
              parallel:
                matrix:
                  - OS: [linux]
              script: [echo "os=$OS"]
            """);
        var result = p.Run(new RunSelection { Jobs = ["unit", "matrix"] }, [new JobVariable("FROM_CLI", "cli"), new JobVariable("OVERRIDDEN", "cli")]);
        Assert.False(result.Failed);
        var first = p.Log.TextOf("unit 1/2");
        Assert.Contains("node=1/2 name=unit 1/2 stage=test server=yes status=running", first);
        Assert.Contains($"dir={p.Directory}/.dockyard/builds/unit-1-2 builds={p.Directory}/.dockyard/builds timeout=3600 id=", first);
        Assert.Contains("overridden=cli expanded=x-global raw=$GLOBAL cli=cli", first);
        Assert.Contains("node=2/2", p.Log.TextOf("unit 2/2"));
        Assert.Contains("os=linux", p.Log.TextOf("matrix: [linux]"));
    }

    private static void AssertDead(int pid)
    {
        for (var i = 0; i < 200 && Alive(pid); i++) Thread.Sleep(50);
        Assert.False(Alive(pid), $"process {pid} is still running");
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (ArgumentException) { return false; }
        catch (IOException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
