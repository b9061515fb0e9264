using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Shell;

/// <summary>Runs one step's bash script of a job (host bash, or a container of the docker executor).</summary>
internal interface IJobStepRunner
{
    /// <summary>Runs <paramref name="scriptPath"/> (inside <paramref name="directory"/>'s temporary directory).</summary>
    Task<JobProcess.Outcome> RunAsync(BuildDirectory directory, string scriptPath, IReadOnlyDictionary<string, string> variables,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellation);
}

/// <summary>Runs steps with bash on this machine (the shell executor).</summary>
internal sealed class HostStepRunner : IJobStepRunner
{
    public static readonly HostStepRunner Instance = new();

    public Task<JobProcess.Outcome> RunAsync(BuildDirectory directory, string scriptPath, IReadOnlyDictionary<string, string> variables,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellation) =>
        JobProcess.RunAsync(scriptPath, directory.Path, variables.ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.Ordinal), onLine, timeout, cancellation);
}
