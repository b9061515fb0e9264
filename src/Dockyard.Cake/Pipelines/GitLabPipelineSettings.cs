using Dockyard.Pipelines.Triggers;

namespace Dockyard.Cake.Pipelines;

/// <summary>Which pipeline <c>LoadGitLabPipeline</c> reads.</summary>
public sealed class GitLabPipelineSettings
{
    /// <summary>The pipeline file, relative to <see cref="WorkingDirectory"/> (default <c>.gitlab-ci.yml</c>).</summary>
    public string File { get; set; } = ".gitlab-ci.yml";

    /// <summary>The project directory; <c>null</c> = Cake's working directory.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Pipeline variables (highest precedence).</summary>
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The kind of push: <c>update</c> (default, against <c>origin/DEFAULT_BRANCH</c>), <c>update=BASE</c> or <c>new</c>.</summary>
    public string? Push { get; set; }

    /// <summary>The simulated <c>CI_PIPELINE_SOURCE</c> (default <c>push</c>).</summary>
    public string? PipelineSource { get; set; }

    /// <summary>The target branch of a <c>merge_request_event</c> pipeline (default: the default branch).</summary>
    public string? MergeRequestTarget { get; set; }

    /// <summary>The project has an active Kubernetes integration (<c>CI_KUBERNETES_ACTIVE</c>, <c>only:kubernetes: active</c>).</summary>
    public bool KubernetesActive { get; set; }

    /// <summary>The licensed features as <c>GITLAB_FEATURES</c>, comma-separated (default none).</summary>
    public string? GitLabFeatures { get; set; }

    /// <summary>The trigger these settings describe (a bad value is an error naming the setting).</summary>
    public PipelineTrigger Trigger() =>
        PipelineTrigger.Parse(Push, PipelineSource, MergeRequestTarget) with { KubernetesActive = KubernetesActive, GitLabFeatures = GitLabFeatures ?? "" };

    /// <summary>The GitLab instance template/project/component includes are fetched from; <c>null</c> = <c>CI_SERVER_URL</c>.</summary>
    public string? GitLabUrl { get; set; }
}

/// <summary>Options of the jobs registered or run from a pipeline (those of <c>dockyard ci run</c>).</summary>
public sealed class GitLabJobSettings
{
    /// <summary>A prefix for registered task names (default none).</summary>
    public string TaskPrefix { get; set; } = "";

    /// <summary><c>shell</c> or <c>auto</c> (default: the job's image decides).</summary>
    public string Executor { get; set; } = "auto";

    /// <summary>Extra job variables.</summary>
    public IDictionary<string, string> Variables { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A dotenv-style file of job variables, or <c>null</c>.</summary>
    public string? VariablesFile { get; set; }

    /// <summary>Run jobs in the checkout itself instead of a copy.</summary>
    public bool InPlace { get; set; }

    /// <summary>Copy artifacts back into the checkout.</summary>
    public bool ArtifactsToSource { get; set; }
}

/// <summary>Fluent setters for the pipeline and job settings.</summary>
public static class GitLabSettingsExtensions
{
    /// <summary>Sets the pipeline file.</summary>
    public static GitLabPipelineSettings WithFile(this GitLabPipelineSettings settings, string file) { settings.File = file; return settings; }

    /// <summary>Sets the project directory.</summary>
    public static GitLabPipelineSettings WithWorkingDirectory(this GitLabPipelineSettings settings, string directory) { settings.WorkingDirectory = directory; return settings; }

    /// <summary>Adds a pipeline variable.</summary>
    public static GitLabPipelineSettings WithVariable(this GitLabPipelineSettings settings, string name, string value) { settings.Variables[name] = value; return settings; }

    /// <summary>Sets the kind of push (<c>new</c>, <c>update</c>, <c>update=BASE</c>).</summary>
    public static GitLabPipelineSettings WithPush(this GitLabPipelineSettings settings, string push) { settings.Push = push; return settings; }

    /// <summary>Sets the simulated <c>CI_PIPELINE_SOURCE</c>.</summary>
    public static GitLabPipelineSettings WithPipelineSource(this GitLabPipelineSettings settings, string source) { settings.PipelineSource = source; return settings; }

    /// <summary>Sets the target branch of a merge request pipeline.</summary>
    public static GitLabPipelineSettings WithMergeRequestTarget(this GitLabPipelineSettings settings, string branch) { settings.MergeRequestTarget = branch; return settings; }

    /// <summary>Sets <see cref="GitLabPipelineSettings.GitLabUrl"/>.</summary>
    public static GitLabPipelineSettings WithGitLabUrl(this GitLabPipelineSettings settings, string url) { settings.GitLabUrl = url; return settings; }

    /// <summary>Sets the task name prefix.</summary>
    public static GitLabJobSettings WithTaskPrefix(this GitLabJobSettings settings, string prefix) { settings.TaskPrefix = prefix; return settings; }

    /// <summary>Sets the executor (<c>shell</c> or <c>auto</c>).</summary>
    public static GitLabJobSettings WithExecutor(this GitLabJobSettings settings, string executor) { settings.Executor = executor; return settings; }

    /// <summary>Adds a job variable.</summary>
    public static GitLabJobSettings WithVariable(this GitLabJobSettings settings, string name, string value) { settings.Variables[name] = value; return settings; }

    /// <summary>Sets the variables file.</summary>
    public static GitLabJobSettings WithVariablesFile(this GitLabJobSettings settings, string path) { settings.VariablesFile = path; return settings; }

    /// <summary>Runs jobs in the checkout itself.</summary>
    public static GitLabJobSettings WithInPlace(this GitLabJobSettings settings, bool inPlace = true) { settings.InPlace = inPlace; return settings; }

    /// <summary>Copies artifacts back into the checkout.</summary>
    public static GitLabJobSettings WithArtifactsToSource(this GitLabJobSettings settings, bool toSource = true) { settings.ArtifactsToSource = toSource; return settings; }
}
