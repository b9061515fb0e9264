using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Shell;

/// <summary>
/// What an executor prepares for each attempt once the job's variables are known and before its first step (the
/// docker executor: the job's images, expanded with those variables and pulled, and its services started).
/// </summary>
internal interface IJobPreparation
{
    /// <summary>
    /// Prepares one attempt; <paramref name="cancellation"/> also fires when the job's timeout ends during it.
    /// Disposing the result removes what it started.
    /// </summary>
    Task<IPreparedJob> PrepareAsync(BuildDirectory directory, JobEnvironment environment, JobTrace trace, CancellationToken cancellation);
}

/// <summary>One prepared attempt: where its steps run; disposing it removes what the preparation started.</summary>
internal interface IPreparedJob : IAsyncDisposable
{
    /// <summary>Runs the attempt's steps (<c>script</c> and <c>after_script</c>).</summary>
    IJobStepRunner Steps { get; }
}
