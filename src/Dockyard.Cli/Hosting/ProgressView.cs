using System.Collections.Concurrent;
using Dockyard.Hosting;
using Spectre.Console;

namespace Dockyard.Cli.Hosting;

/// <summary>
/// Shows a use case's progress events: on a terminal, live bars per layer and blob (Spectre.Console); otherwise (CI,
/// redirected output, tests) one plain line per event that matters, never a cursor movement.
/// </summary>
public static class ProgressView
{
    /// <summary>Runs <paramref name="operation"/> with a progress sink drawn for <paramref name="cli"/>.</summary>
    public static async Task<T> RunAsync<T>(CliContext cli, Func<IProgress<ProgressEvent>, Task<T>> operation)
    {
        if (!cli.Interactive) return await operation(new LineProgress(cli.Stderr));
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(cli.Stderr) });
        T result = default!;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
            .StartAsync(async context => result = await operation(new BarProgress(context)));
        return result;
    }

    /// <summary>The plain form: one line per event.</summary>
    internal sealed class LineProgress(TextWriter writer) : IProgress<ProgressEvent>
    {
        private readonly Lock _gate = new();

        public void Report(ProgressEvent value)
        {
            if (Line(value) is not { } line) return;
            lock (_gate) writer.WriteLine(line);
        }

        /// <summary>The line for an event, or <c>null</c> for events shown only as bars (byte counts).</summary>
        internal static string? Line(ProgressEvent e)
        {
            var digest = e.Digest is null ? "" : Short(e.Digest) + ": ";
            return e.Kind switch
            {
                ProgressKind.Step => e.Message ?? e.Target,
                ProgressKind.LayerDone => $"{digest}layer {e.Target} ({Size(e.TotalBytes)}){(e.Message is null ? "" : " " + e.Message)}",
                ProgressKind.BlobStarted => $"{digest}transferring {Size(e.TotalBytes)} to {e.Target}",
                ProgressKind.BlobCompleted => $"{digest}done ({Size(e.TotalBytes)})",
                ProgressKind.BlobExists => $"{digest}already in {e.Target}",
                ProgressKind.BlobMounted => $"{digest}mounted {e.Message}",
                ProgressKind.BlobResumed => $"{digest}resuming at {Size(e.Bytes)} of {Size(e.TotalBytes)} ({e.Message})",
                ProgressKind.ManifestPushed => $"{digest}manifest pushed as {e.Target}",
                ProgressKind.Retrying => $"{e.Target}: {e.Message}",
                ProgressKind.Reauthenticated => $"{e.Target}: {e.Message}",
                _ => null,
            };
        }
    }

    /// <summary>The terminal form: one bar per blob or layer, steps and notes as lines above them.</summary>
    private sealed class BarProgress(ProgressContext context) : IProgress<ProgressEvent>
    {
        private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(ProgressEvent value)
        {
            var key = value.Digest ?? value.Target;
            switch (value.Kind)
            {
                case ProgressKind.BlobStarted:
                case ProgressKind.LayerProgress:
                case ProgressKind.BlobProgress:
                    var task = _tasks.GetOrAdd(key, _ => context.AddTask(Markup.Escape(Describe(value)), maxValue: Math.Max(1, value.TotalBytes)));
                    if (value.TotalBytes > 0) task.MaxValue = value.TotalBytes;
                    task.Value = value.Bytes;
                    break;
                case ProgressKind.BlobCompleted:
                case ProgressKind.LayerDone:
                case ProgressKind.BlobExists:
                case ProgressKind.BlobMounted:
                    var done = _tasks.GetOrAdd(key, _ => context.AddTask(Markup.Escape(Describe(value)), maxValue: Math.Max(1, value.TotalBytes)));
                    done.Description = Markup.Escape(LineProgress.Line(value) ?? Describe(value));
                    done.Value = done.MaxValue;
                    done.StopTask();
                    break;
                default:
                    if (LineProgress.Line(value) is { } line)
                    {
                        var note = context.AddTask(Markup.Escape(line), autoStart: false, maxValue: 1);
                        note.Value = 1;
                        note.IsIndeterminate = false;
                    }
                    break;
            }
        }

        private static string Describe(ProgressEvent e) =>
            (e.Digest is null ? e.Target : $"{Short(e.Digest)} {e.Target}");
    }

    /// <summary>A digest shortened for display (<c>sha256:0123456789ab</c>).</summary>
    public static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;

    /// <summary>A byte count in B/KiB/MiB/GiB.</summary>
    public static string Size(long bytes) => Dockyard.Images.ByteSize.Format(bytes);
}
