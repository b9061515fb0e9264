using System.CommandLine;
using Dockyard.Pipelines.Triggers;

namespace Dockyard.Cli.Commands;

/// <summary>The options that say how the pipeline was started, shared by <c>ci list/preview/lint/run</c>.</summary>
internal sealed class PipelineTriggerOptions
{
    private readonly Option<string?> _push = new("--push")
    {
        Description = "The kind of push: update (default, against origin/DEFAULT_BRANCH), update=BASE, or new (a push that creates the branch: every changes: is true).",
    };
    private readonly Option<string?> _source = new("--pipeline-source")
    {
        Description = $"CI_PIPELINE_SOURCE: {string.Join(", ", PipelineTrigger.Sources)} (default push).",
    };
    private readonly Option<string?> _target = new("--merge-request-target")
    {
        Description = "The target branch of a merge_request_event pipeline (default: the default branch).",
    };
    private readonly Option<bool> _kubernetes = new("--kubernetes-active")
    {
        Description = "The project has an active Kubernetes integration (CI_KUBERNETES_ACTIVE, only:kubernetes: active).",
    };
    private readonly Option<string?> _features = new("--gitlab-features")
    {
        Description = "The project's licensed features as GITLAB_FEATURES, comma-separated (default: none, as GitLab Free).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _push, _source, _target, _kubernetes, _features }) command.Options.Add(option);
    }

    /// <summary>The trigger the command line describes.</summary>
    public PipelineTrigger Read(ParseResult parse) =>
        PipelineTrigger.Parse(parse.GetValue(_push), parse.GetValue(_source), parse.GetValue(_target)) with
        {
            KubernetesActive = parse.GetValue(_kubernetes),
            GitLabFeatures = parse.GetValue(_features) ?? "",
        };
}
