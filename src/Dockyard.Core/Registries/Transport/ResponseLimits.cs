namespace Dockyard.Registries.Transport;

/// <summary>
/// The most bytes Dockyard reads from a registry or token service into memory for one answer (blobs are streamed and
/// verified instead). Larger answers are refused, never buffered: a hostile or broken server cannot exhaust memory.
/// </summary>
public static class ResponseLimits
{
    /// <summary>A manifest, index or other JSON API answer: distribution's own limit on manifests (4 MiB).</summary>
    public const int Manifest = 4 * 1024 * 1024;

    /// <summary>A token service answer (1 MiB; real tokens are a few KiB).</summary>
    public const int Token = 1024 * 1024;

    /// <summary>An error body: only its start is read (64 KiB), the rest is discarded; messages quote at most 200 characters.</summary>
    public const int ErrorBody = 64 * 1024;
}
