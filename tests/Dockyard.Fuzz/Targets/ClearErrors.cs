using Dockyard.Diagnostics;

namespace Dockyard.Fuzz.Targets;

/// <summary>Runs a target so that Dockyard's clear errors count as a correct refusal and everything else escapes as a crash.</summary>
public static class ClearErrors
{
    /// <summary>
    /// Runs <paramref name="target"/> on <paramref name="input"/>, swallowing <see cref="DockyardException"/> (and so
    /// <see cref="SourceException"/>); returns whether the input was accepted (false: refused with a clear error).
    /// </summary>
    public static bool Run(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
            return true;
        }
        catch (DockyardException)
        {
            // A refusal with a clear message: what the parser must do with bad input.
            return false;
        }
    }
}
