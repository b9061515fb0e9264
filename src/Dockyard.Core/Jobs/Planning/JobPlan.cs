namespace Dockyard.Jobs.Planning;

/// <summary>What a simple command of a job's script becomes when the job runs.</summary>
public enum PlannedCommandKind
{
    /// <summary>An ordinary command: bash runs it.</summary>
    Shell,

    /// <summary>A docker/buildah/podman/kaniko image operation Dockyard carries out natively.</summary>
    NativeImage,

    /// <summary>A login or logout: a credential for a registry, kept for the job only.</summary>
    Credential,

    /// <summary>A container command handed to the real tool (a daemon or buildah is there).</summary>
    RealTool,

    /// <summary>A command the job fails at: it needs a tool this machine does not have, or is not valid.</summary>
    Fails,
}

/// <summary>One simple command of a script line and what it becomes.</summary>
/// <param name="Kind">What carries it out.</param>
/// <param name="Command">The command after variable expansion (masked values, passwords and the values a login line uses shown as <c>****</c>).</param>
/// <param name="Description">What happens, in one line.</param>
/// <param name="Registries">The registries it needs a credential for.</param>
public sealed record PlannedCommand(PlannedCommandKind Kind, string Command, string Description, IReadOnlyList<string> Registries)
{
    /// <summary>For a build: the Dockerfile's stage plan (as <c>dockyard build --dry-run</c> prints it); else null.</summary>
    public string? BuildPlan { get; init; }
}

/// <summary>One line of <c>before_script</c>, <c>script</c> or <c>after_script</c>.</summary>
/// <param name="Section"><c>before_script</c>, <c>script</c> or <c>after_script</c>.</param>
/// <param name="Number">The line's number within its section (from 1).</param>
/// <param name="Text">The line as written.</param>
/// <param name="Commands">Its simple commands, in order.</param>
/// <param name="Variables">The variables it references (names only).</param>
public sealed record PlannedScriptLine(string Section, int Number, string Text, IReadOnlyList<PlannedCommand> Commands, IReadOnlyList<string> Variables);

/// <summary>A registry a job needs a credential for, and where that credential comes from (never the secret).</summary>
/// <param name="Registry">The registry.</param>
/// <param name="Source">Where its credential comes from: the job's own login line, a credential source of the chain, or none (anonymous).</param>
public sealed record PlannedCredential(string Registry, string Source);

/// <summary>What <c>dockyard ci plan JOB</c> prints: each script line of the job, what it becomes, and the credentials it needs.</summary>
/// <param name="Job">The job's name.</param>
/// <param name="Lines">Every script line, in the order bash runs them.</param>
/// <param name="Credentials">Each registry the job needs a credential for.</param>
public sealed record JobPlan(string Job, IReadOnlyList<PlannedScriptLine> Lines, IReadOnlyList<PlannedCredential> Credentials);
