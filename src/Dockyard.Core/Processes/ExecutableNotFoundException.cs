using Dockyard.Diagnostics;

namespace Dockyard.Processes;

/// <summary>A program to run is not installed (not on PATH, or the path is not an executable file).</summary>
public sealed class ExecutableNotFoundException : DockyardException
{
    /// <summary>Creates the error; <paramref name="thrownFrom"/> is the caller's source file, which decides the code's area.</summary>
    public ExecutableNotFoundException(string executable, string message, string thrownFrom) : base(message, thrownFrom)
    {
        Executable = executable;
        Subject = executable;
    }

    /// <summary>The program as it was named.</summary>
    public string Executable { get; }
}
