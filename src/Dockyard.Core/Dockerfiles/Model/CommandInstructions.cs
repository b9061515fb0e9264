using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Dockerfiles.Model;

/// <summary><c>RUN [--mount=...] [--network=...] [--security=...] command</c> (the command is not expanded: the shell does that).</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Command">The command in shell or exec form.</param>
/// <param name="Mounts">The <c>--mount</c> flags.</param>
/// <param name="Network">The <c>--network</c> flag: default, none or host.</param>
/// <param name="Security">The <c>--security</c> flag: sandbox or insecure.</param>
/// <param name="Heredocs">Here-documents opened on the line, in order.</param>
public sealed record RunInstruction(SourceLocation Location, string Text, CommandForm Command, IReadOnlyList<RunMount> Mounts,
    string? Network, string? Security, IReadOnlyList<Heredoc> Heredocs) : Instruction(Location, "RUN", Text)
{
    /// <summary>Expands the <c>--mount</c> options (except <c>from</c>, which BuildKit does not expand); the command is left to the shell.</summary>
    public override Instruction Expand(WordExpander expander) => this with
    {
        Mounts = Mounts.Select(mount =>
        {
            var options = mount.Options.ToDictionary(o => o.Key, o => o.Key == "from" ? o.Value : expander.Expand(o.Value), StringComparer.Ordinal);
            return mount with
            {
                Target = mount.Target is null ? null : expander.Expand(mount.Target),
                Source = mount.Source is null ? null : expander.Expand(mount.Source),
                Options = options,
            };
        }).ToList(),
    };
}

/// <summary><c>CMD</c> in shell or exec form.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Command">The default command.</param>
public sealed record CmdInstruction(SourceLocation Location, string Text, CommandForm Command) : Instruction(Location, "CMD", Text);

/// <summary><c>ENTRYPOINT</c> in shell or exec form.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Command">The entrypoint.</param>
public sealed record EntrypointInstruction(SourceLocation Location, string Text, CommandForm Command) : Instruction(Location, "ENTRYPOINT", Text);

/// <summary><c>SHELL ["executable", "parameters"]</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Shell">The shell and its arguments.</param>
public sealed record ShellInstruction(SourceLocation Location, string Text, IReadOnlyList<string> Shell) : Instruction(Location, "SHELL", Text);

/// <summary><c>HEALTHCHECK NONE</c> or <c>HEALTHCHECK [options] CMD command</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Command">The check command, or null for <c>NONE</c>.</param>
/// <param name="Interval"><c>--interval</c>.</param>
/// <param name="Timeout"><c>--timeout</c>.</param>
/// <param name="StartPeriod"><c>--start-period</c>.</param>
/// <param name="StartInterval"><c>--start-interval</c>.</param>
/// <param name="Retries"><c>--retries</c>.</param>
public sealed record HealthcheckInstruction(SourceLocation Location, string Text, CommandForm? Command, TimeSpan? Interval,
    TimeSpan? Timeout, TimeSpan? StartPeriod, TimeSpan? StartInterval, int? Retries) : Instruction(Location, "HEALTHCHECK", Text)
{
    /// <summary>True for <c>HEALTHCHECK NONE</c> (disables the base image's check).</summary>
    public bool IsNone => Command is null;
}

/// <summary><c>ONBUILD instruction</c>: a trigger stored in the image config.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Trigger">The parsed trigger instruction.</param>
/// <param name="TriggerText">The trigger as written (what goes into the config's OnBuild list).</param>
public sealed record OnbuildInstruction(SourceLocation Location, string Text, Instruction Trigger, string TriggerText) : Instruction(Location, "ONBUILD", Text);

/// <summary><c>MAINTAINER name</c> (deprecated; becomes the image author).</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Name">The author.</param>
public sealed record MaintainerInstruction(SourceLocation Location, string Text, string Name) : Instruction(Location, "MAINTAINER", Text);
