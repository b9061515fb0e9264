namespace Dockyard.Jobs;

/// <summary>Where a job's commands run.</summary>
public enum ExecutorKind
{
    /// <summary>Pick per job (docs/jobs.md): a job with an image that is not a container-building tool runs with the docker executor when a Docker daemon answers, else with the shell executor (one warning per image).</summary>
    Auto,

    /// <summary>bash on this machine.</summary>
    Shell,

    /// <summary>Containers of a Docker daemon for jobs with an <c>image</c> (others, and container-building tools, use the shell).</summary>
    Docker,
}
