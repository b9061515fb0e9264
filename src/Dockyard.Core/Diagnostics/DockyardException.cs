namespace Dockyard.Diagnostics;

/// <summary>
/// An error caused by the user's input or environment (a bad pipeline, an unknown registry, a missing credential),
/// as opposed to a bug. Fronts print <see cref="Exception.Message"/> without a stack trace and exit non-zero.
/// The message names where the problem is (file:line:column, registry, reference or credential source) and what to do.
/// It never contains a secret.
/// </summary>
public class DockyardException : Exception
{
    /// <summary>Creates an error with a complete, user-facing message.</summary>
    public DockyardException(string message) : base(message) { }

    /// <summary>Creates an error with a complete, user-facing message and the low-level cause.</summary>
    public DockyardException(string message, Exception? innerException) : base(message, innerException) { }
}
