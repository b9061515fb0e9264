using Dockyard.Pipelines;

namespace Dockyard.Cake.Pipelines;

/// <summary>A resolved GitLab pipeline, as GitLab would create it.</summary>
public sealed class GitLabPipeline
{
    internal GitLabPipeline(Pipeline pipeline, GitLabPipelineSettings settings, string projectDirectory)
    {
        Resolved = pipeline;
        Settings = settings;
        ProjectDirectory = projectDirectory;
        Stages = pipeline.Stages;
        Jobs = pipeline.ActiveJobs.Select(j => new GitLabJob(j.Name, j.Stage, j.When, j.Needs?.Select(n => n.Job).ToList())).ToList();
    }

    internal Pipeline Resolved { get; }

    internal GitLabPipelineSettings Settings { get; }

    /// <summary>The project directory (absolute).</summary>
    public string ProjectDirectory { get; }

    /// <summary>The stages, in order.</summary>
    public IReadOnlyList<string> Stages { get; }

    /// <summary>The jobs GitLab would create, in pipeline order.</summary>
    public IReadOnlyList<GitLabJob> Jobs { get; }
}

/// <summary>One job of a pipeline: name, stage, <c>when:</c> and <c>needs:</c> (<c>null</c> when it has none).</summary>
/// <param name="Name">The job name.</param>
/// <param name="Stage">The stage.</param>
/// <param name="When">The job's <c>when:</c> (<c>on_success</c>, <c>manual</c>, ...).</param>
/// <param name="Needs">The jobs it needs, or <c>null</c> when it follows the stages.</param>
public sealed record GitLabJob(string Name, string Stage, string When, IReadOnlyList<string>? Needs)
{
    /// <summary>Whether the job waits for a person (<c>when: manual</c>).</summary>
    public bool IsManual => When == "manual";
}
