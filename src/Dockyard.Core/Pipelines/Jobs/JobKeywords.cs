namespace Dockyard.Pipelines.Jobs;

/// <summary>The keywords GitLab accepts at the top level, in a job and in <c>default:</c>.</summary>
internal static class JobKeywords
{
    /// <summary>Top-level keys that are not jobs.</summary>
    public static readonly HashSet<string> Reserved =
        ["default", "include", "stages", "types", "variables", "workflow", "image", "services", "cache", "before_script", "after_script"];

    /// <summary>Deprecated global keys that behave like <c>default:</c>.</summary>
    public static readonly string[] DeprecatedGlobals = ["image", "services", "cache", "before_script", "after_script"];

    /// <summary>Keys of <c>default:</c>.</summary>
    public static readonly HashSet<string> Default =
        ["after_script", "artifacts", "before_script", "cache", "hooks", "id_tokens", "image", "interruptible", "retry", "services", "tags", "timeout"];

    /// <summary>Keys of a job.</summary>
    public static readonly HashSet<string> Job =
    [
        "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dast_configuration", "dependencies",
        "environment", "except", "extends", "hooks", "id_tokens", "identity", "image", "inherit", "interruptible",
        "manual_confirmation", "needs", "only", "pages", "parallel", "publish", "release", "resource_group", "retry", "rules",
        "run", "script", "secrets", "services", "stage", "start_in", "tags", "timeout", "trigger", "type", "variables", "when",
    ];

    /// <summary>Keys of a rule in <c>rules:</c>.</summary>
    public static readonly HashSet<string> Rule =
        ["if", "changes", "exists", "when", "allow_failure", "variables", "needs", "start_in", "interruptible", "auto_cancel"];

    /// <summary>Values of <c>when</c> in a job.</summary>
    public static readonly HashSet<string> JobWhen = ["on_success", "on_failure", "always", "manual", "delayed", "never"];

    /// <summary>The default stages (without <c>.pre</c>/<c>.post</c>).</summary>
    public static readonly string[] DefaultStages = ["build", "test", "deploy"];
}
