namespace Dockyard.Diagnostics;

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Worth knowing; nothing is wrong.</summary>
    Info,
    /// <summary>Something will not be as the user may expect; the operation goes on.</summary>
    Warning,
    /// <summary>The operation cannot go on.</summary>
    Error,
}

/// <summary>
/// One structured message of the core, for every front: a stable code, a severity, where (a place in a file, or a
/// subject such as a registry or reference), what happened and what to do. MSBuild logs it with
/// <c>LogError(code, file, line, column, …)</c>; the CLI prints <see cref="ToString"/>.
/// </summary>
/// <param name="Code">The stable code, <c>DY####</c>.</param>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What happened (without the location when <see cref="Location"/> is set).</param>
public sealed record Diagnostic(string Code, DiagnosticSeverity Severity, string Message)
{
    /// <summary>The place in a file, when there is one.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>What it is about when it is not a place in a file: a registry, a reference, a credential source.</summary>
    public string? Subject { get; init; }

    /// <summary>What to do about it, when the message does not already say so.</summary>
    public string? Help { get; init; }

    /// <summary>The setting to change, named neutrally.</summary>
    public Setting? Setting { get; init; }

    /// <summary>A warning with a code.</summary>
    public static Diagnostic Warning(string code, string message, SourceLocation? location = null) =>
        new(code, DiagnosticSeverity.Warning, message) { Location = location };

    /// <summary>An informational message with a code.</summary>
    public static Diagnostic Info(string code, string message, SourceLocation? location = null) =>
        new(code, DiagnosticSeverity.Info, message) { Location = location };

    /// <summary>The message with its location and help, as one line of text.</summary>
    public override string ToString()
    {
        var text = Location is { } at ? $"{at}: {Message}" : Message;
        return Help is null ? text : $"{text} {Help}";
    }
}
