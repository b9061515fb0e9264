using Dockyard.Hosting;
using Dockyard.Jobs.Variables;
using Dockyard.MSBuild.Hosting;
using Dockyard.Pipelines.Triggers;
using Microsoft.Build.Framework;

namespace Dockyard.MSBuild.Pipelines;

/// <summary>The parameters every pipeline task shares: which pipeline, and how it was started.</summary>
public abstract class CiTask : DockyardTask
{
    /// <summary>The checkout (default: the project directory).</summary>
    public string? CiProjectDirectory { get; set; }
    /// <summary>The pipeline file (<c>CiFile</c>).</summary>
    public string? File { get; set; }

    /// <summary><c>CiGitLabUrl</c>: the instance includes are fetched from (default <c>CI_SERVER_URL</c>).</summary>
    public string? GitLabUrl { get; set; }
    /// <summary><c>CiPush</c>: <c>update</c> (default), <c>update=BASE</c> or <c>new</c>.</summary>
    public string? Push { get; set; }
    /// <summary><c>CiPipelineSource</c>: the simulated <c>CI_PIPELINE_SOURCE</c> (default <c>push</c>).</summary>
    public string? PipelineSource { get; set; }
    /// <summary><c>CiMergeRequestTarget</c>: the target branch of a <c>merge_request_event</c> pipeline.</summary>
    public string? MergeRequestTarget { get; set; }
    /// <summary><c>CiKubernetesActive</c>: the project has an active Kubernetes integration.</summary>
    public bool KubernetesActive { get; set; }
    /// <summary><c>CiGitLabFeatures</c>: the licensed features as <c>GITLAB_FEATURES</c>, comma-separated.</summary>
    public string? GitLabFeatures { get; set; }

    /// <summary><c>CiVariablesFile</c>.</summary>
    public string? VariablesFile { get; set; }
    /// <summary><c>CiVariable</c> items (<c>Value</c> metadata).</summary>
    public ITaskItem[] Variables { get; set; } = [];

    /// <summary>The variables of <see cref="VariablesFile"/>, then the <see cref="Variables"/> items (pipeline variables).</summary>
    public List<JobVariable> ReadVariables(HostContext host)
    {
        var variables = new List<JobVariable>();
        if (VariablesFile is { Length: > 0 } file) variables.AddRange(VariablesFileReader.Read(host.FullPath(file)));
        variables.AddRange(Variables.Select(v => new JobVariable(v.ItemSpec, v.GetMetadata("Value")) { IsPipelineVariable = true }));
        return variables;
    }

    /// <summary>The trigger the parameters describe.</summary>
    public PipelineTrigger ReadTrigger() =>
        PipelineTrigger.Parse(Push, PipelineSource, MergeRequestTarget) with { KubernetesActive = KubernetesActive, GitLabFeatures = GitLabFeatures ?? "" };
}
