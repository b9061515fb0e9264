using System.Runtime.CompilerServices;

namespace Dockyard.Diagnostics;

/// <summary>
/// An error caused by the user's input or environment (a bad pipeline, an unknown registry, a missing credential),
/// as opposed to a bug. Fronts print it without a stack trace and exit non-zero; <see cref="ToDiagnostic"/> gives
/// them its parts (code, location, message, help) to log in their own shape (MSBuild's error list, Cake's log).
/// The message names where the problem is (file:line:column, registry, reference or credential source) and what to do.
/// It never contains a secret.
/// </summary>
public class DockyardException : Exception
{
    /// <summary>Creates an error with a complete, user-facing message; the code defaults to the area that threw it.</summary>
    public DockyardException(string message, [CallerFilePath] string thrownFrom = "") : base(message)
    {
        Code = DiagnosticCodes.ForArea(thrownFrom);
    }

    /// <summary>Creates an error with a complete, user-facing message and the low-level cause.</summary>
    public DockyardException(string message, Exception? innerException, [CallerFilePath] string thrownFrom = "") : base(message, innerException)
    {
        Code = DiagnosticCodes.ForArea(thrownFrom);
    }

    /// <summary>The stable diagnostic code (<c>DY####</c>, see <see cref="DiagnosticCodes"/>).</summary>
    public string Code { get; init; }

    /// <summary>What the error is about when it is not a place in a file: a registry, a reference, a credential source, a setting.</summary>
    public string? Subject { get; init; }

    /// <summary>The setting the user should change, named neutrally; each front shows its own spelling of it.</summary>
    public Setting? Setting { get; init; }

    /// <summary>The error as a structured diagnostic.</summary>
    public virtual Diagnostic ToDiagnostic() =>
        new(Code, DiagnosticSeverity.Error, Message) { Subject = Subject, Setting = Setting };
}
