using System.Globalization;
using Dockyard.Pipelines.Triggers;

namespace Dockyard.Pipelines.Variables;

/// <summary>
/// GitLab's predefined CI/CD variables for a local run. Inside GitLab CI (<c>GITLAB_CI=true</c>) they are taken from the
/// environment; otherwise they are computed from the git work tree (real <c>git</c>), and placeholders are used outside git.
/// See <c>docs/pipelines-variables.md</c> for every local choice.
/// </summary>
public static class PredefinedVariables
{
    /// <summary>The SHA used when there is no commit (also <c>CI_COMMIT_BEFORE_SHA</c>, as GitLab gives for a new branch).</summary>
    public const string ZeroSha = "0000000000000000000000000000000000000000";

    /// <summary>The server host assumed when the project has no <c>origin</c> remote.</summary>
    public const string LocalServerHost = "gitlab.example.com";

    /// <summary>The namespace used for <c>CI_PROJECT_PATH</c> when there is no <c>origin</c> remote.</summary>
    public const string LocalNamespace = "local";

    /// <summary>The <c>CI_SERVER_VERSION</c> reported locally.</summary>
    public const string ServerVersion = "18.6.0";

    /// <summary>Computes the pipeline-level predefined variables.</summary>
    public static IReadOnlyDictionary<string, string> Compute(PredefinedVariablesContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var environment = context.Environment ?? new Dictionary<string, string>();
        if (environment.TryGetValue("GITLAB_CI", out var gitlabCi) && gitlabCi == "true")
        {
            return FromEnvironment(environment);
        }

        var directory = Path.GetFullPath(context.ProjectDirectory);
        var git = new GitRepositoryReader(context.GitExecutable, directory).Read();
        var range = PushRange.Resolve(context.Trigger, git, new GitCommand(context.GitExecutable, directory));
        var clock = context.Clock ?? TimeProvider.System;
        var variables = new Dictionary<string, string>(96, StringComparer.Ordinal);
        AddServerAndProject(variables, git?.RemoteUrl, directory, context);
        AddCommit(variables, git, range);
        AddPipeline(variables, context, clock);
        if (range.MergeRequestTargetBranch is { } target) AddMergeRequest(variables, target, range.MergeRequestDiffBaseSha);
        return variables;
    }

    /// <summary>
    /// The per-job predefined variables: <c>CI_JOB_NAME</c> (full name, with a matrix or <c>i/n</c> suffix),
    /// <c>CI_JOB_NAME_SLUG</c>, <c>CI_JOB_STAGE</c>, <c>CI_NODE_TOTAL</c> (1 unless parallel) and, for parallel
    /// jobs, <c>CI_NODE_INDEX</c> (1-based).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ForJob(string jobName, string stage, int? nodeIndex, int? nodeTotal)
    {
        ArgumentNullException.ThrowIfNull(jobName);
        ArgumentNullException.ThrowIfNull(stage);
        var variables = new Dictionary<string, string>(6, StringComparer.Ordinal)
        {
            ["CI_JOB_NAME"] = jobName,
            ["CI_JOB_NAME_SLUG"] = Slug.Slugify(jobName),
            ["CI_JOB_STAGE"] = stage,
            ["CI_NODE_TOTAL"] = (nodeTotal ?? 1).ToString(CultureInfo.InvariantCulture),
        };
        if (nodeIndex is { } index)
        {
            variables["CI_NODE_INDEX"] = index.ToString(CultureInfo.InvariantCulture);
        }

        return variables;
    }

    private static void AddServerAndProject(Dictionary<string, string> variables, string? remoteUrl, string directory,
        PredefinedVariablesContext context)
    {
        var remote = remoteUrl is null ? null : GitRemote.Parse(remoteUrl);
        var host = remote?.Host ?? LocalServerHost;
        var protocol = remote?.Protocol ?? "https";
        var port = remote?.Port ?? 443;
        var directoryName = Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar));
        var projectPath = remote?.ProjectPath ?? $"{LocalNamespace}/{(directoryName.Length == 0 ? "project" : directoryName)}";
        var defaultPort = protocol == "https" ? 443 : 80;
        var fqdn = port == defaultPort ? host : $"{host}:{port.ToString(CultureInfo.InvariantCulture)}";
        var serverUrl = $"{protocol}://{fqdn}";
        var lastSlash = projectPath.LastIndexOf('/');
        var projectName = lastSlash < 0 ? projectPath : projectPath[(lastSlash + 1)..];
        var projectNamespace = lastSlash < 0 ? "" : projectPath[..lastSlash];
        var firstSlash = projectPath.IndexOf('/');
        var registry = $"registry.{host}";

        variables["CI"] = "true";
        variables["GITLAB_CI"] = "true";
        variables["CI_SERVER"] = "yes";
        variables["CI_SERVER_NAME"] = "GitLab";
        variables["CI_SERVER_HOST"] = host;
        variables["CI_SERVER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
        variables["CI_SERVER_PROTOCOL"] = protocol;
        variables["CI_SERVER_FQDN"] = fqdn;
        variables["CI_SERVER_URL"] = serverUrl;
        variables["CI_SERVER_VERSION"] = ServerVersion;
        var version = ServerVersion.Split('.');
        variables["CI_SERVER_VERSION_MAJOR"] = version[0];
        variables["CI_SERVER_VERSION_MINOR"] = version[1];
        variables["CI_SERVER_VERSION_PATCH"] = version[2];
        variables["CI_API_V4_URL"] = serverUrl + "/api/v4";
        variables["CI_API_GRAPHQL_URL"] = serverUrl + "/api/graphql";
        variables["CI_TEMPLATE_REGISTRY_HOST"] = "registry.gitlab.com";
        // Gitlab::Ci::Variables::Builder#predefined_project_variables: licensed_features.join(','), empty on Free.
        variables["GITLAB_FEATURES"] = context.Trigger.GitLabFeatures;
        variables["CI_PROJECT_ID"] = "1";
        variables["CI_PROJECT_PATH"] = projectPath;
        variables["CI_PROJECT_NAME"] = projectName;
        variables["CI_PROJECT_TITLE"] = projectName;
        variables["CI_PROJECT_NAMESPACE"] = projectNamespace;
        variables["CI_PROJECT_NAMESPACE_SLUG"] = Slug.Slugify(projectNamespace);
        variables["CI_PROJECT_ROOT_NAMESPACE"] = firstSlash < 0 ? projectPath : projectPath[..firstSlash];
        variables["CI_PROJECT_PATH_SLUG"] = Slug.Slugify(projectPath);
        variables["CI_PROJECT_DIR"] = directory;
        variables["CI_PROJECT_URL"] = $"{serverUrl}/{projectPath}";
        variables["CI_PROJECT_VISIBILITY"] = "private";
        variables["CI_CONFIG_PATH"] = context.ConfigPath;
        variables["CI_REGISTRY"] = registry;
        variables["CI_REGISTRY_IMAGE"] = $"{registry}/{projectPath.ToLowerInvariant()}";
        variables["CI_REGISTRY_USER"] = "gitlab-ci-token";
        variables["CI_DEPENDENCY_PROXY_SERVER"] = fqdn;
        variables["CI_DEPENDENCY_PROXY_GROUP_IMAGE_PREFIX"] =
            $"{fqdn}/{variables["CI_PROJECT_ROOT_NAMESPACE"]}/dependency_proxy/containers";
        variables["CI_DEPENDENCY_PROXY_DIRECT_GROUP_IMAGE_PREFIX"] =
            $"{fqdn}/{projectNamespace}/dependency_proxy/containers";
    }

    private static void AddCommit(Dictionary<string, string> variables, GitCommitInfo? git, PushRange range)
    {
        var sha = git?.Sha ?? ZeroSha;
        var message = git?.Message ?? "";
        var newline = message.IndexOf('\n');
        var title = newline < 0 ? message : message[..newline];
        var rest = newline < 0 ? "" : message[(newline + 1)..];

        // GitLab: the description is the message without its title when the title is shorter than 100 characters.
        var description = title.Length < 100 ? rest : message;
        var defaultBranch = git?.DefaultBranch ?? "main";
        var refName = git?.Tag ?? git?.Branch ?? defaultBranch;

        variables["CI_COMMIT_SHA"] = sha;
        variables["CI_COMMIT_SHORT_SHA"] = sha[..8];
        variables["CI_COMMIT_BEFORE_SHA"] = range.BeforeSha;
        variables["CI_COMMIT_TITLE"] = title;
        variables["CI_COMMIT_MESSAGE"] = message;
        variables["CI_COMMIT_DESCRIPTION"] = description;
        variables["CI_COMMIT_TIMESTAMP"] = (git?.CommitterDate ?? DateTimeOffset.UnixEpoch).UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        variables["CI_COMMIT_AUTHOR"] = git is null ? "" : $"{git.AuthorName} <{git.AuthorEmail}>";
        variables["CI_COMMIT_REF_NAME"] = refName;
        variables["CI_COMMIT_REF_SLUG"] = Slug.Slugify(refName);
        variables["CI_COMMIT_REF_PROTECTED"] = refName == defaultBranch && git?.Tag is null && range.MergeRequestTargetBranch is null ? "true" : "false";
        variables["CI_DEFAULT_BRANCH"] = defaultBranch;
        if (git?.Tag is { } tag)
        {
            variables["CI_COMMIT_TAG"] = tag;
            variables["CI_COMMIT_TAG_MESSAGE"] = git.TagMessage;
        }
        else if (range.MergeRequestTargetBranch is null)
        {
            // Ci::Pipeline#branch? is false for merge request pipelines: no CI_COMMIT_BRANCH there.
            variables["CI_COMMIT_BRANCH"] = refName;
        }

        if (git is not null)
        {
            variables["GITLAB_USER_NAME"] = git.AuthorName;
            variables["GITLAB_USER_EMAIL"] = git.AuthorEmail;
        }
    }

    private static void AddPipeline(Dictionary<string, string> variables, PredefinedVariablesContext context, TimeProvider clock)
    {
        variables["CI_PIPELINE_SOURCE"] = context.Trigger.Source;
        if (context.Trigger.KubernetesActive) variables["CI_KUBERNETES_ACTIVE"] = "true";
        variables["CI_PIPELINE_ID"] = "1";
        variables["CI_PIPELINE_IID"] = "1";
        variables["CI_PIPELINE_URL"] = variables["CI_PROJECT_URL"] + "/-/pipelines/1";
        variables["CI_PIPELINE_CREATED_AT"] = clock.GetUtcNow().UtcDateTime
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A detached merge request pipeline (Gitlab::Ci::Variables::Builder::Pipeline#predefined_merge_request_variables and
    /// MergeRequest#predefined_variables): merge request 1 of this project from the current branch into
    /// <paramref name="target"/>, titled with the commit title; no source/target SHAs (merged results pipelines only).
    /// </summary>
    private static void AddMergeRequest(Dictionary<string, string> variables, string target, string? diffBaseSha)
    {
        var source = variables["CI_COMMIT_REF_NAME"];
        var protectedBranch = variables["CI_DEFAULT_BRANCH"];
        variables["CI_MERGE_REQUEST_EVENT_TYPE"] = "detached";
        variables["CI_MERGE_REQUEST_SOURCE_BRANCH_SHA"] = "";
        variables["CI_MERGE_REQUEST_TARGET_BRANCH_SHA"] = "";
        variables["CI_MERGE_REQUEST_DIFF_ID"] = "1";
        variables["CI_MERGE_REQUEST_DIFF_BASE_SHA"] = diffBaseSha ?? "";
        variables["CI_MERGE_REQUEST_ID"] = "1";
        variables["CI_MERGE_REQUEST_IID"] = "1";
        variables["CI_MERGE_REQUEST_REF_PATH"] = "refs/merge-requests/1/head";
        variables["CI_MERGE_REQUEST_PROJECT_ID"] = variables["CI_PROJECT_ID"];
        variables["CI_MERGE_REQUEST_PROJECT_PATH"] = variables["CI_PROJECT_PATH"];
        variables["CI_MERGE_REQUEST_PROJECT_URL"] = variables["CI_PROJECT_URL"];
        variables["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = target;
        variables["CI_MERGE_REQUEST_TARGET_BRANCH_PROTECTED"] = target == protectedBranch ? "true" : "false";
        variables["CI_MERGE_REQUEST_TITLE"] = variables["CI_COMMIT_TITLE"];
        variables["CI_MERGE_REQUEST_DESCRIPTION"] = "";
        variables["CI_MERGE_REQUEST_DESCRIPTION_IS_TRUNCATED"] = "false";
        variables["CI_MERGE_REQUEST_SQUASH_ON_MERGE"] = "false";
        variables["CI_MERGE_REQUEST_SOURCE_PROJECT_ID"] = variables["CI_PROJECT_ID"];
        variables["CI_MERGE_REQUEST_SOURCE_PROJECT_PATH"] = variables["CI_PROJECT_PATH"];
        variables["CI_MERGE_REQUEST_SOURCE_PROJECT_URL"] = variables["CI_PROJECT_URL"];
        variables["CI_MERGE_REQUEST_SOURCE_BRANCH_NAME"] = source;
        variables["CI_MERGE_REQUEST_SOURCE_BRANCH_PROTECTED"] = source == protectedBranch ? "true" : "false";
    }

    /// <summary>
    /// Inside GitLab CI: every <c>CI*</c> and <c>GITLAB_*</c> variable of the job environment, as the runner set it,
    /// except secrets (<c>*_TOKEN</c>, <c>*_PASSWORD</c>, <c>*_JWT*</c>) so they can never reach a listing or a log.
    /// </summary>
    private static Dictionary<string, string> FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            if ((name == "CI" || name.StartsWith("CI_", StringComparison.Ordinal) || name.StartsWith("GITLAB_", StringComparison.Ordinal))
                && !IsSecretName(name))
            {
                variables[name] = value;
            }
        }

        return variables;
    }

    private static bool IsSecretName(string name) =>
        name.EndsWith("_TOKEN", StringComparison.Ordinal) || name.EndsWith("_PASSWORD", StringComparison.Ordinal)
        || name.Contains("_JWT", StringComparison.Ordinal);
}
