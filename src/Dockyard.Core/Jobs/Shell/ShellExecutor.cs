using System.Diagnostics;
using System.Globalization;
using Dockyard.Diagnostics;
using Dockyard.Jobs.Artifacts;
using Dockyard.Jobs.Cache;
using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;
using Dockyard.Pipelines.Durations;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Jobs.Shell;

/// <summary>
/// Runs one job with bash on this machine as GitLab Runner's shell executor does: working copy, artifacts of its
/// dependencies (and their dotenv variables), caches, <c>before_script</c> + <c>script</c> in one shell under the job's
/// <c>timeout</c>, <c>after_script</c> in a new shell with <c>CI_JOB_STATUS</c> and its own timeout, then caches and
/// artifacts by their <c>when</c>; <c>retry</c> starts it again from a fresh working copy.
/// </summary>
public sealed class ShellExecutor(JobRunContext run)
{
    /// <summary>The job timeout when <c>timeout:</c> is absent (GitLab's project default).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(1);

    /// <summary>The <c>after_script</c> timeout when <c>RUNNER_AFTER_SCRIPT_TIMEOUT</c> is unset.</summary>
    public static readonly TimeSpan DefaultAfterScriptTimeout = TimeSpan.FromMinutes(5);

    private readonly record struct Attempt(bool Succeeded, bool Canceled, int? ExitCode, string? Reason);

    /// <summary>Runs <paramref name="planned"/> (every attempt) in concurrency slot <paramref name="concurrentId"/>.</summary>
    public async Task<JobResult> RunAsync(PlannedJob planned, int concurrentId, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(planned);
        var job = planned.Job;
        var watch = Stopwatch.StartNew();
        var trace = new JobTrace(job.Name, run.Log, new OutputMasker([]), run.Options.Color, run.Clock);
        RetryPolicy retry;
        TimeSpan timeout;
        try
        {
            retry = RetryPolicy.Read(job.Retry);
            timeout = job.Timeout is { } t ? GitLabDuration.Parse(t, job.Definition.Entry("timeout")?.KeyLocation ?? job.Location, "timeout") ?? DefaultTimeout : DefaultTimeout;
        }
        catch (DockyardException ex)
        {
            trace.Error(ex.Message);
            return new JobResult(job.Name, job.Stage, JobStatus.Failed, false, null, watch.Elapsed, 1, "script_failure");
        }

        var attempt = 1;
        while (true)
        {
            Attempt outcome;
            try
            {
                outcome = await RunAttemptAsync(planned, trace, timeout, concurrentId, cancellation).ConfigureAwait(false);
            }
            catch (DockyardException ex)
            {
                trace.Error(ex.Message);
                outcome = new Attempt(false, false, null, "runner_system_failure");
            }
            catch (IOException ex)
            {
                trace.Error($"the job directory could not be prepared or saved ({ex.Message}). Check free space and permissions under {run.Layout.Root}.");
                outcome = new Attempt(false, false, null, "runner_system_failure");
            }

            if (outcome.Succeeded)
                return new JobResult(job.Name, job.Stage, JobStatus.Success, false, 0, watch.Elapsed, attempt, null);
            if (outcome.Canceled)
                return new JobResult(job.Name, job.Stage, JobStatus.Canceled, false, outcome.ExitCode, watch.Elapsed, attempt, "canceled");
            if (retry.ShouldRetry(attempt, outcome.Reason!, outcome.ExitCode))
            {
                attempt++;
                trace.Warning($"Retrying job (attempt {attempt} of {retry.Max + 1}) after {outcome.Reason}");
                continue;
            }

            // GitLab stores allow_failure: false plus exit-code criteria: only those codes are allowed to fail.
            var allowed = job.AllowFailureExitCodes.Count > 0
                ? outcome.ExitCode is { } code && job.AllowFailureExitCodes.Contains(code)
                : job.AllowFailure;
            return new JobResult(job.Name, job.Stage, JobStatus.Failed, allowed, outcome.ExitCode, watch.Elapsed, attempt, outcome.Reason);
        }
    }

    private async Task<Attempt> RunAttemptAsync(PlannedJob planned, JobTrace trace, TimeSpan timeout, int concurrentId, CancellationToken cancellation)
    {
        var job = planned.Job;
        // The job's timeout covers the whole attempt, as the runner's build context does: preparation (pulls, the wait
        // for services), artifacts and caches too, not only the script.
        var elapsed = Stopwatch.StartNew();
        trace.Info($"Running with dockyard {typeof(ShellExecutor).Assembly.GetName().Version?.ToString(3)} ({ExecutorName} executor)");
        trace.StartSection("prepare_script", "Preparing environment");
        var directory = BuildDirectory.Prepare(run.Layout, planned.Slug, run.SourceFiles, run.Options.InPlace);
        trace.EndSection("prepare_script");
        IPreparedJob? prepared = null;
        try
        {
            var dotenv = DownloadArtifacts(planned, directory, trace);
            var environment = Environment(planned, directory, dotenv, timeout, concurrentId, "running");
            trace.Masker = new OutputMasker(environment.MaskedValues);
            foreach (var value in environment.MaskedValues) run.Host.Masker.Add(value);
            if (Preparation is not null)
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                deadline.CancelAfter(Remaining(timeout, elapsed));
                try
                {
                    prepared = await Preparation.PrepareAsync(directory, environment, trace, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellation.IsCancellationRequested)
                {
                    // As in the runner, a job that times out before its script runs no after_script and keeps nothing.
                    trace.Error($"Job failed: execution took longer than {GoDuration(timeout)} seconds");
                    return new Attempt(false, false, null, "job_execution_timeout");
                }
            }

            var steps = prepared?.Steps ?? HostStepRunner.Instance;
            string Expand(string text) => environment.Expand(text);
            var caches = CacheSpec.Read(job.Cache).Select(c => c.Resolve(Expand)).ToList();
            var artifacts = ArtifactsSpec.Read(job.Artifacts);
            var cacheKeys = caches.Select(c => CacheKey.Compute(c, directory.Path, Expand)).ToList();
            RestoreCaches(caches, cacheKeys, directory, trace, Expand);

            trace.StartSection("step_script", "Executing \"step_script\" stage of the job script");
            var script = await RunStepAsync(steps, directory, "script", [.. job.BeforeScript, .. job.Script], WithContainerShims(planned, directory, environment.Variables), trace, Remaining(timeout, elapsed), cancellation).ConfigureAwait(false);
            trace.EndSection("step_script");
            var succeeded = script.ExitCode == 0 && !script.TimedOut && !script.Canceled;
            var status = script.Canceled ? "canceled" : succeeded ? "success" : "failed";
            if (job.AfterScript.Count > 0)
                await RunAfterScriptAsync(steps, planned, directory, dotenv, timeout, concurrentId, status, trace).ConfigureAwait(false);
            if (!script.Canceled)
            {
                SaveCaches(caches, cacheKeys, directory, succeeded, trace, Expand);
                UploadArtifacts(planned, artifacts, directory, succeeded, trace, Expand);
            }

            if (script.Canceled)
            {
                trace.Error("Job failed: canceled");
                return new Attempt(false, true, null, "canceled");
            }

            if (script.TimedOut)
            {
                trace.Error($"Job failed: execution took longer than {GoDuration(timeout)} seconds");
                return new Attempt(false, false, null, "job_execution_timeout");
            }

            if (!succeeded)
            {
                trace.Error($"Job failed: exit code {script.ExitCode.ToString(CultureInfo.InvariantCulture)}");
                return new Attempt(false, false, script.ExitCode, "script_failure");
            }

            trace.Info("Job succeeded");
            return new Attempt(true, false, 0, null);
        }
        finally
        {
            if (prepared is not null) await prepared.DisposeAsync().ConfigureAwait(false);
            trace.StartSection("cleanup_file_variables", "Cleaning up project directory and file based variables");
            directory.RemoveTemporary();
            trace.EndSection("cleanup_file_variables");
        }
    }

    private async Task RunAfterScriptAsync(IJobStepRunner steps, PlannedJob planned, BuildDirectory directory, IReadOnlyList<KeyValuePair<string, string>> dotenv,
        TimeSpan timeout, int concurrentId, string status, JobTrace trace)
    {
        var environment = Environment(planned, directory, dotenv, timeout, concurrentId, status);
        var afterTimeout = DefaultAfterScriptTimeout;
        if (environment.Variables.TryGetValue("RUNNER_AFTER_SCRIPT_TIMEOUT", out var text) && text.Length > 0)
        {
            if (GitLabDuration.TryParse(text, out var parsed, out _) && parsed is { } value) afterTimeout = value;
            else trace.Warning($"RUNNER_AFTER_SCRIPT_TIMEOUT '{text}' is not a duration; using {GoDuration(afterTimeout)}");
        }

        trace.StartSection("after_script", "Running after_script");
        // Ctrl+C cancels the job, but after_script still runs (bounded by its timeout), as the runner does.
        var after = await RunStepAsync(steps, directory, "after_script", planned.Job.AfterScript, WithContainerShims(planned, directory, environment.Variables), trace, afterTimeout, CancellationToken.None).ConfigureAwait(false);
        if (after.TimedOut) trace.Warning($"after_script failed, but job will continue unaffected: execution took longer than {GoDuration(afterTimeout)} seconds");
        else if (after.ExitCode != 0) trace.Warning($"after_script failed, but job will continue unaffected: exit code {after.ExitCode.ToString(CultureInfo.InvariantCulture)}");
        trace.EndSection("after_script");
    }

    /// <summary>The executor's name in the job log and <c>CI_RUNNER_DESCRIPTION</c>.</summary>
    internal string ExecutorName { get; init; } = "shell";

    /// <summary>
    /// What each attempt prepares once its variables are known and where its steps then run (the docker executor's
    /// images, services and containers), or null: the steps run with bash on this machine.
    /// </summary>
    internal IJobPreparation? Preparation { get; init; }

    private static async Task<JobProcess.Outcome> RunStepAsync(IJobStepRunner steps, BuildDirectory directory, string name, IReadOnlyList<string> commands,
        IReadOnlyDictionary<string, string> variables, JobTrace trace, TimeSpan timeout, CancellationToken cancellation)
    {
        var scriptPath = Path.Combine(directory.TemporaryDirectory, name + ".sh");
        // A kaniko job's /kaniko paths run as the job's private directory; the log still shows them as written.
        Func<string, string>? executed = variables.TryGetValue(ContainerCommands.KanikoPaths.RootVariable, out var kaniko) ? c => ContainerCommands.KanikoPaths.Map(c, kaniko) : null;
        await File.WriteAllTextAsync(scriptPath, BashScriptWriter.Write(commands, color: false,
            newEvalStrategy: variables.TryGetValue("FF_USE_NEW_BASH_EVAL_STRATEGY", out var flag) && flag is "true" or "1", executed), CancellationToken.None).ConfigureAwait(false);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(scriptPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return await steps.RunAsync(directory, scriptPath, variables, trace.Line, timeout, cancellation).ConfigureAwait(false);
    }

    /// <summary>
    /// With a Dockyard command, puts the docker/buildah/podman shims first on PATH and the job's store namespace and
    /// credentials file in DOCKYARD_JOB_*; a kaniko job also gets its private /kaniko (executor shim, .docker/).
    /// </summary>
    private IReadOnlyDictionary<string, string> WithContainerShims(PlannedJob planned, BuildDirectory directory, IReadOnlyDictionary<string, string> variables)
    {
        if (run.Options.DockyardCommand is not { } command || Preparation is not null) return variables;
        var originalPath = variables.GetValueOrDefault("PATH") ?? run.Host.Variables.GetValueOrDefault("PATH");
        var jobNamespace = "job-" + planned.Slug + "-" + variables.GetValueOrDefault("CI_JOB_ID", "0");
        var combined = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        foreach (var (name, value) in ContainerCommands.ContainerShims.Install(directory.TemporaryDirectory, command, jobNamespace, originalPath))
            combined[name] = value;
        if (IsLocalRegistry(variables) && variables.GetValueOrDefault("CI_REGISTRY") is { Length: > 0 } registry)
            combined[ContainerCommands.ContainerShims.LocalRegistryVariable] = registry;
        if (planned.Job.Image is { } image && ContainerTools.IsKaniko(VariableExpander.Expand(image.Name, variables.GetValueOrDefault)))
            foreach (var (name, value) in ContainerCommands.ContainerShims.InstallKaniko(directory.TemporaryDirectory, command, combined["PATH"]))
                if (name != "DOCKER_CONFIG" || !variables.ContainsKey(name)) combined[name] = value;
        return combined;
    }

    /// <summary>
    /// Whether the job's <c>CI_REGISTRY</c> is only the predefined stand-in of a local run: not inside a GitLab job and
    /// not given by the user (environment, <c>--variable</c>, <c>--variables-file</c> or the pipeline's YAML).
    /// </summary>
    private bool IsLocalRegistry(IReadOnlyDictionary<string, string> variables) =>
        IsLocalRegistry(run.Host, run.External, run.Predefined, variables);

    /// <summary>The rule of <see cref="IsLocalRegistry(IReadOnlyDictionary{string, string})"/> for any job's variables (also <c>ci plan</c>'s).</summary>
    internal static bool IsLocalRegistry(Hosting.HostContext host, IEnumerable<JobVariable> external, IReadOnlyDictionary<string, string> predefined,
        IReadOnlyDictionary<string, string> variables) =>
        host.Get("GITLAB_CI") != "true"
        && host.Get("CI_REGISTRY") is null
        && !external.Any(v => v.Name == "CI_REGISTRY")
        && predefined.GetValueOrDefault("CI_REGISTRY") is { Length: > 0 } registry && variables.GetValueOrDefault("CI_REGISTRY") == registry;

    private JobEnvironment Environment(PlannedJob planned, BuildDirectory directory, IReadOnlyList<KeyValuePair<string, string>> dotenv,
        TimeSpan timeout, int concurrentId, string status)
    {
        var job = planned.Job;
        var runner = RunnerVariables(planned, directory, timeout, concurrentId, status);
        var predefinedNames = new HashSet<string>(run.Predefined.Keys, StringComparer.Ordinal);
        predefinedNames.UnionWith(runner.Keys);
        return new JobEnvironmentBuilder(Path.Combine(directory.TemporaryDirectory, "variables"))
            .AddJobImage(job.Image?.Name)
            .AddPredefined(run.Predefined)
            .AddPredefined(PredefinedVariables.ForJob(job.Name, job.Stage, job.NodeIndex, job.NodeTotal))
            .AddPredefined(runner)
            .AddYaml(job.Variables)
            .AddDotenv(dotenv)
            .AddExternal(run.External)
            .AddSurroundingGitLabJob(run.Host.Variables, predefinedNames)
            .Build();
    }

    private Dictionary<string, string> RunnerVariables(PlannedJob planned, BuildDirectory directory, TimeSpan timeout, int concurrentId, string status)
    {
        var id = _jobIds.GetOrAdd(planned.Job.Name, _ => run.NextJobId()).ToString(CultureInfo.InvariantCulture);
        var projectUrl = run.Predefined.GetValueOrDefault("CI_PROJECT_URL", "");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CI"] = "true",
            ["GITLAB_CI"] = "true",
            ["CI_SERVER"] = "yes",
            ["CI_PROJECT_DIR"] = directory.Path,
            ["CI_BUILDS_DIR"] = run.Options.InPlace ? Path.GetDirectoryName(directory.Path) ?? directory.Path : run.Layout.Builds,
            ["CI_JOB_ID"] = id,
            ["CI_JOB_URL"] = $"{projectUrl}/-/jobs/{id}",
            ["CI_JOB_STATUS"] = status,
            ["CI_JOB_TIMEOUT"] = ((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            ["CI_JOB_STARTED_AT"] = run.Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["CI_CONCURRENT_ID"] = concurrentId.ToString(CultureInfo.InvariantCulture),
            ["CI_CONCURRENT_PROJECT_ID"] = concurrentId.ToString(CultureInfo.InvariantCulture),
            ["CI_SHARED_ENVIRONMENT"] = "true",
            ["CI_RUNNER_ID"] = "0",
            ["CI_RUNNER_DESCRIPTION"] = $"dockyard ({ExecutorName} executor)",
            ["CI_RUNNER_TAGS"] = "[" + string.Join(", ", planned.Job.Tags.Select(t => $"\"{t}\"")) + "]",
            ["CI_RUNNER_EXECUTABLE_ARCH"] = $"linux/{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "amd64")}",
        };
        if (planned.Triggered) variables["CI_JOB_MANUAL"] = "true";
        return variables;
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _jobIds = new(StringComparer.Ordinal);

    private List<KeyValuePair<string, string>> DownloadArtifacts(PlannedJob planned, BuildDirectory directory, JobTrace trace)
    {
        var dotenv = new List<KeyValuePair<string, string>>();
        var sources = planned.ArtifactSources.Where(name => run.Artifacts.Exists(run.SlugOf(name))).ToList();
        if (sources.Count == 0) return dotenv;
        trace.StartSection("download_artifacts", "Downloading artifacts");
        foreach (var source in sources)
        {
            var slug = run.SlugOf(source);
            var count = run.Artifacts.CopyTo(slug, directory.Path);
            trace.Line($"Downloading artifacts for {source} ({count.ToString(CultureInfo.InvariantCulture)} files)...");
            dotenv.AddRange(run.Artifacts.Dotenv(slug));
        }

        trace.EndSection("download_artifacts");
        return dotenv;
    }

    private void RestoreCaches(IReadOnlyList<CacheSpec> caches, IReadOnlyList<string> keys, BuildDirectory directory, JobTrace trace, Func<string, string> expand)
    {
        if (!caches.Any(c => c.Pulls)) return;
        trace.StartSection("restore_cache", "Restoring cache");
        for (var i = 0; i < caches.Count; i++)
        {
            if (!caches[i].Pulls) continue;
            var candidates = new List<string> { keys[i] };
            foreach (var fallback in caches[i].FallbackKeys.Select(expand)) candidates.Add(fallback);
            if (expand("${CACHE_FALLBACK_KEY}") is { Length: > 0 } global) candidates.Add(global);
            var restored = run.Cache.Restore(candidates.Where(k => k.Length > 0 && !k.Contains('/') && k.Trim('.').Length > 0), directory.Path);
            trace.Line(restored is null
                ? $"WARNING: file does not exist: cache {keys[i]} was not created yet"
                : restored == keys[i] ? $"Successfully extracted cache {restored}" : $"Successfully extracted cache {restored} (fallback for {keys[i]})");
        }

        trace.EndSection("restore_cache");
    }

    private void SaveCaches(IReadOnlyList<CacheSpec> caches, IReadOnlyList<string> keys, BuildDirectory directory, bool succeeded, JobTrace trace, Func<string, string> expand)
    {
        if (!caches.Any(c => c.PushesAfter(succeeded))) return;
        trace.StartSection("archive_cache", succeeded ? "Saving cache for successful job" : "Saving cache for failed job");
        for (var i = 0; i < caches.Count; i++)
        {
            if (!caches[i].PushesAfter(succeeded)) continue;
            var files = PathSelection.Select(directory.Path, caches[i].Paths.Select(expand).ToList(), [], caches[i].Untracked, directory.SourceFiles, w => trace.Warning(w));
            run.Cache.Save(keys[i], directory.Path, files);
            trace.Line($"Created cache {keys[i]} ({files.Count(f => !f.EndsWith('/')).ToString(CultureInfo.InvariantCulture)} files)");
        }

        trace.EndSection("archive_cache");
    }

    private void UploadArtifacts(PlannedJob planned, ArtifactsSpec artifacts, BuildDirectory directory, bool succeeded, JobTrace trace, Func<string, string> expand)
    {
        if (artifacts.IsEmpty || !artifacts.AppliesTo(succeeded))
        {
            run.Artifacts.Remove(planned.Slug);
            return;
        }

        trace.StartSection("upload_artifacts", succeeded ? "Uploading artifacts for successful job" : "Uploading artifacts for failed job");
        var files = PathSelection.Select(directory.Path, artifacts.Paths.Select(expand).ToList(), artifacts.Exclude.Select(expand).ToList(),
            artifacts.Untracked, directory.SourceFiles, w => trace.Warning(w));
        var dotenv = new List<KeyValuePair<string, string>>();
        foreach (var report in artifacts.Dotenv.Select(expand))
        {
            var path = Path.Combine(directory.Path, report);
            if (!File.Exists(path))
            {
                trace.Warning($"{report}: no matching files for the dotenv report");
                continue;
            }

            foreach (var pair in DotenvReader.Read(File.ReadAllText(path), report, w => trace.Warning(w)))
            {
                dotenv.RemoveAll(p => p.Key == pair.Key);
                dotenv.Add(pair);
            }
        }

        run.Artifacts.Save(planned.Slug, directory.Path, files, dotenv);
        trace.Line($"Uploaded {files.Count(f => !f.EndsWith('/')).ToString(CultureInfo.InvariantCulture)} files as artifacts{(dotenv.Count > 0 ? $" and {dotenv.Count.ToString(CultureInfo.InvariantCulture)} dotenv variables" : "")}");
        trace.EndSection("upload_artifacts");
    }

    /// <summary>What is left of the job's <paramref name="timeout"/> after <paramref name="elapsed"/> (never negative).</summary>
    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch elapsed) =>
        timeout > elapsed.Elapsed ? timeout - elapsed.Elapsed : TimeSpan.Zero;

    /// <summary>A duration as the runner prints it (Go's <c>1h0m0s</c>).</summary>
    public static string GoDuration(TimeSpan value)
    {
        if (value < TimeSpan.FromMinutes(1)) return $"{value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
        if (value < TimeSpan.FromHours(1)) return $"{value.Minutes.ToString(CultureInfo.InvariantCulture)}m{value.Seconds.ToString(CultureInfo.InvariantCulture)}s";
        return $"{((int)value.TotalHours).ToString(CultureInfo.InvariantCulture)}h{value.Minutes.ToString(CultureInfo.InvariantCulture)}m{value.Seconds.ToString(CultureInfo.InvariantCulture)}s";
    }
}
