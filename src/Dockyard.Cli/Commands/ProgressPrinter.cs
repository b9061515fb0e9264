using Dockyard.Registries.Transfer;

namespace Dockyard.Cli.Commands;

/// <summary>Renders transfer progress as one line per blob event on standard error (safe for logs: no cursor tricks).</summary>
public sealed class ProgressPrinter(TextWriter writer) : IProgress<TransferProgress>
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Report(TransferProgress value)
    {
        var digest = value.Digest is null ? "" : Short(value.Digest);
        var line = value.Kind switch
        {
            TransferEventKind.BlobStarted => $"{digest}: transferring {Size(value.TotalBytes)} to {value.Target}",
            TransferEventKind.BlobCompleted => $"{digest}: done ({Size(value.TotalBytes)})",
            TransferEventKind.BlobExists => $"{digest}: already in {value.Target}",
            TransferEventKind.BlobMounted => $"{digest}: mounted {value.Message}",
            TransferEventKind.ManifestPushed => $"{digest}: manifest pushed as {value.Target}",
            TransferEventKind.Retrying => $"{value.Target}: {value.Message}",
            TransferEventKind.Reauthenticated => $"{value.Target}: {value.Message}",
            TransferEventKind.BlobResumed => $"{digest}: resuming at {Size(value.Bytes)} of {Size(value.TotalBytes)} ({value.Message})",
            _ => null,
        };
        if (line is null) return;
        lock (_gate) writer.WriteLine(line);
    }

    /// <summary>A digest shortened for display (<c>sha256:0123456789ab</c>).</summary>
    public static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    /// <summary>A byte count in B/KiB/MiB/GiB.</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        < 1024L * 1024 * 1024 => $"{bytes / 1024.0 / 1024:0.#} MiB",
        _ => $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB",
    };
}
