using System.Runtime.CompilerServices;

namespace Dockyard.Diagnostics;

/// <summary>A <see cref="DockyardException"/> that points at a place in a source file.</summary>
public class SourceException : DockyardException
{
    /// <summary>Creates an error at <paramref name="location"/>; the message is prefixed with the location.</summary>
    public SourceException(SourceLocation location, string problem, string? whatToDo = null, Exception? innerException = null, [CallerFilePath] string thrownFrom = "")
        : base(Format(location, problem, whatToDo), innerException, thrownFrom)
    {
        Location = location;
        Problem = problem;
        WhatToDo = whatToDo;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>What the user should do about it, if known.</summary>
    public string? WhatToDo { get; }

    /// <inheritdoc />
    public override Diagnostic ToDiagnostic() =>
        new(Code, DiagnosticSeverity.Error, Problem) { Location = Location, Help = WhatToDo, Subject = Subject, Setting = Setting };

    private static string Format(SourceLocation location, string problem, string? whatToDo) =>
        whatToDo is null ? $"{location}: {problem}" : $"{location}: {problem} {whatToDo}";
}
