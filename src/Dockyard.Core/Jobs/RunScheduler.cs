using System.Collections.Concurrent;
using Dockyard.Jobs.Downstream;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Shell;
using Dockyard.Pipelines;

namespace Dockyard.Jobs;

/// <summary>
/// Starts every job of a plan as soon as what it waits for has ended and its <c>when</c> allows, at most the run's
/// concurrency at once across the parent and its child pipelines (trigger jobs take no slot: GitLab runs them without
/// a runner). A trigger job's child pipeline is run through the same scheduler (docs/jobs.md, "Child pipelines").
/// </summary>
internal sealed class RunScheduler(int concurrency, CancellationToken cancellation) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency);
    private readonly ConcurrentStack<int> _freeIds = new(Enumerable.Range(0, concurrency).Reverse());
    private int _pipelines;

    /// <summary>The cancellation of the whole run.</summary>
    public CancellationToken Cancellation => cancellation;

    /// <summary>A new pipeline number for a child pipeline (added to the parent's <c>CI_PIPELINE_ID</c>).</summary>
    public int NextPipeline() => Interlocked.Increment(ref _pipelines);

    /// <summary>
    /// Runs <paramref name="plan"/> of the pipeline loaded with <paramref name="options"/> (<paramref name="depth"/> 0 for
    /// the parent); returns each job's result in plan order, each trigger job followed by its child pipeline's jobs.
    /// </summary>
    public async Task<IReadOnlyList<JobResult>> RunAsync(IReadOnlyList<PlannedJob> plan, JobRunContext run, Docker.DockerChoice docker,
        PipelineOptions options, int depth)
    {
        var completions = plan.ToDictionary(p => p.Job.Name, _ => new TaskCompletionSource<JobResult>(TaskCreationOptions.RunContinuationsAsynchronously), StringComparer.Ordinal);
        var children = new ConcurrentDictionary<string, Task<IReadOnlyList<JobResult>>>(StringComparer.Ordinal);
        var executor = new ShellExecutor(run);
        var containers = docker.Engine is { } engine ? new Docker.DockerExecutor(run, engine) : null;

        async Task RunOne(PlannedJob planned)
        {
            JobResult result;
            try
            {
                var waited = new List<JobResult>();
                foreach (var name in planned.WaitsFor) waited.Add(await completions[name].Task.ConfigureAwait(false));
                var decision = WhenDecision.Decide(planned, waited);
                if (decision is null && cancellation.IsCancellationRequested) decision = (JobStatus.Canceled, "the run was canceled");
                if (decision is { } notRun)
                {
                    result = new JobResult(planned.Job.Name, planned.Job.Stage, notRun.Status, planned.Job.AllowFailure, null, TimeSpan.Zero, 0, notRun.Reason);
                }
                else if (planned.Job.Trigger is not null)
                {
                    run.Log.Started(planned.Job.Name);
                    var (trigger, child) = await DownstreamRun.StartAsync(this, planned, run, options, depth).ConfigureAwait(false);
                    result = trigger;
                    children[planned.Job.Name] = child;
                }
                else
                {
                    await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    _freeIds.TryPop(out var slot);
                    try
                    {
                        if (cancellation.IsCancellationRequested)
                        {
                            result = new JobResult(planned.Job.Name, planned.Job.Stage, JobStatus.Canceled, false, null, TimeSpan.Zero, 0, "the run was canceled");
                        }
                        else
                        {
                            run.Log.Started(planned.Job.Name);
                            result = containers is not null && docker.Uses(planned)
                                ? await containers.RunAsync(planned, slot, cancellation).ConfigureAwait(false)
                                : await executor.RunAsync(planned, slot, cancellation).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        _freeIds.Push(slot);
                        _slots.Release();
                    }
                }
            }
            catch (Exception ex) when (ex is Diagnostics.DockyardException or IOException or UnauthorizedAccessException)
            {
                run.Log.Line(planned.Job.Name, $"ERROR: {ex.Message}");
                result = new JobResult(planned.Job.Name, planned.Job.Stage, JobStatus.Failed, false, null, TimeSpan.Zero, 1, "runner_system_failure");
            }

            run.Log.Finished(result);
            completions[planned.Job.Name].SetResult(result);
        }

        var tasks = plan.Select(p => Task.Run(() => RunOne(p), CancellationToken.None)).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        // A child pipeline without strategy runs on after its trigger job succeeded; the pipeline's run ends with it.
        await Task.WhenAll(children.Values).ConfigureAwait(false);
        var results = new List<JobResult>();
        foreach (var planned in plan)
        {
            results.Add(completions[planned.Job.Name].Task.Result);
            if (children.TryGetValue(planned.Job.Name, out var child)) results.AddRange(child.Result);
        }
        return results;
    }

    /// <summary>Releases the slots.</summary>
    public void Dispose() => _slots.Dispose();
}
