using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Dockerfiles.Model;

/// <summary><c>ENV key=value ...</c> or the legacy <c>ENV key value</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Variables">The variables in order.</param>
public sealed record EnvInstruction(SourceLocation Location, string Text, IReadOnlyList<KeyValue> Variables) : Instruction(Location, "ENV", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) =>
        this with { Variables = Variables.Select(v => new KeyValue(expander.Expand(v.Key), expander.Expand(v.Value))).ToList() };
}

/// <summary><c>LABEL key=value ...</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Labels">The labels in order.</param>
public sealed record LabelInstruction(SourceLocation Location, string Text, IReadOnlyList<KeyValue> Labels) : Instruction(Location, "LABEL", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) =>
        this with { Labels = Labels.Select(v => new KeyValue(expander.Expand(v.Key), expander.Expand(v.Value))).ToList() };
}

/// <summary><c>ARG name[=default] ...</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Arguments">The declarations in order.</param>
public sealed record ArgInstruction(SourceLocation Location, string Text, IReadOnlyList<ArgDeclaration> Arguments) : Instruction(Location, "ARG", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) =>
        this with { Arguments = Arguments.Select(a => a with { DefaultValue = a.DefaultValue is null ? null : expander.Expand(a.DefaultValue) }).ToList() };
}

/// <summary><c>EXPOSE port[/protocol] ...</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Ports">The ports as written.</param>
public sealed record ExposeInstruction(SourceLocation Location, string Text, IReadOnlyList<string> Ports) : Instruction(Location, "EXPOSE", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => this with { Ports = Ports.Select(expander.Expand).ToList() };
}

/// <summary><c>VOLUME path ...</c> or <c>VOLUME ["path", ...]</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Paths">The volume paths.</param>
public sealed record VolumeInstruction(SourceLocation Location, string Text, IReadOnlyList<string> Paths) : Instruction(Location, "VOLUME", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => this with { Paths = Paths.Select(expander.Expand).ToList() };
}

/// <summary><c>USER user[:group]</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="User">The user (and group).</param>
public sealed record UserInstruction(SourceLocation Location, string Text, string User) : Instruction(Location, "USER", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => this with { User = expander.Expand(User) };
}

/// <summary><c>WORKDIR path</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Path">The directory, absolute or relative to the previous WORKDIR.</param>
public sealed record WorkdirInstruction(SourceLocation Location, string Text, string Path) : Instruction(Location, "WORKDIR", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => this with { Path = expander.Expand(Path) };
}

/// <summary><c>STOPSIGNAL signal</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Signal">The signal name or number.</param>
public sealed record StopSignalInstruction(SourceLocation Location, string Text, string Signal) : Instruction(Location, "STOPSIGNAL", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) => this with { Signal = expander.Expand(Signal) };
}
