using Dockyard.Cli.Hosting;
using Dockyard.Hosting;
using Dockyard.Registries.Transfer;

namespace Dockyard.Cli.Commands;

/// <summary>
/// Renders progress as one line per event on standard error (safe for logs: no cursor tricks), for the registry's
/// transfer events and the use cases' progress events alike (<see cref="ProgressView"/> formats both).
/// </summary>
public sealed class ProgressPrinter(TextWriter writer) : IProgress<TransferProgress>, IProgress<ProgressEvent>
{
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Report(ProgressEvent value)
    {
        if (ProgressView.LineProgress.Line(value) is not { } line) return;
        lock (_gate) writer.WriteLine(line);
    }

    /// <inheritdoc />
    public void Report(TransferProgress value) =>
        Report(new ProgressEvent(Enum.Parse<ProgressKind>(value.Kind.ToString()), value.Target, value.Digest, value.Bytes, value.TotalBytes, value.Message));

    /// <summary>A digest shortened for display (<c>sha256:0123456789ab</c>).</summary>
    public static string Short(string digest) => ProgressView.Short(digest);

    /// <summary>A byte count in B/KiB/MiB/GiB.</summary>
    public static string Size(long bytes) => ProgressView.Size(bytes);
}
