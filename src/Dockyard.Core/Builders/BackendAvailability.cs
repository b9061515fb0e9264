namespace Dockyard.Builders;

/// <summary>Whether a backend can build on this machine, and if not, what is missing and how to get it.</summary>
/// <param name="IsAvailable">Whether the backend can build.</param>
/// <param name="Detail">What was found (tool and version, daemon address) or what is missing.</param>
/// <param name="Remedy">How to make the backend available (empty when it is).</param>
public sealed record BackendAvailability(bool IsAvailable, string Detail, string Remedy)
{
    /// <summary>An available backend.</summary>
    public static BackendAvailability Available(string detail) => new(true, detail, "");

    /// <summary>A missing backend.</summary>
    public static BackendAvailability Missing(string detail, string remedy) => new(false, detail, remedy);
}
