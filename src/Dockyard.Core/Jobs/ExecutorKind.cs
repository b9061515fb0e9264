namespace Dockyard.Jobs;

/// <summary>Where a job's commands run.</summary>
public enum ExecutorKind
{
    /// <summary>Pick per job (docs/jobs.md): today the shell executor, with one warning per image it cannot use.</summary>
    Auto,

    /// <summary>bash on this machine.</summary>
    Shell,
}
