using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Shell;

/// <summary>
/// What runs beside a job's steps (the docker executor's services), started for each attempt once its variables are
/// known and before its first step, and removed when the attempt ends.
/// </summary>
internal interface IJobServices
{
    /// <summary>Starts them for one attempt (and waits until they are up); disposing the result removes them.</summary>
    Task<IAsyncDisposable> StartAsync(BuildDirectory directory, JobEnvironment environment, JobTrace trace, CancellationToken cancellation);
}
