using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Dockyard.Diagnostics;

namespace Dockyard.Processes;

/// <summary>
/// Runs an external program to completion, the one way Dockyard does: argument list, secrets through stdin or the
/// environment, output capped and streamed (masked) line by line, the whole process group killed on timeout or
/// cancellation, and no wait on pipes that a background child keeps open after the program exited.
/// </summary>
/// <remarks>
/// Written on <see cref="Process"/> rather than CliWrap: CliWrap awaits its output pipes to the end after the process
/// exits (so a grandchild holding stdout hangs it, Tyrrrz/CliWrap#185, closed as won't fix) and kills a process tree
/// only, which misses grandchildren whose parent exited; both are what this runner exists for.
/// </remarks>
internal static class ProcessRunner
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    /// <summary>Runs <paramref name="request"/>.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="cancellationToken">Kills the process group and throws <see cref="OperationCanceledException"/>.</param>
    /// <param name="caller">The calling source file (filled in by the compiler): errors carry its area's code.</param>
    /// <exception cref="ExecutableNotFoundException">The program is not installed.</exception>
    /// <exception cref="DockyardException">The program exists but cannot be started.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken, [CallerFilePath] string caller = "")
    {
        if (request.Timeout is { } limit && (limit <= TimeSpan.Zero || limit.TotalMilliseconds > int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(nameof(request), limit, "A timeout must be positive and below 24 days.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(request.MaxCapturedBytes);
        cancellationToken.ThrowIfCancellationRequested();
        var path = ExecutableLookup.Find(request.Executable, request.PathVariable) ?? throw NotFound(request, caller);
        var start = ProcessGroup.StartInfo(path, request.Arguments, out var ownGroup);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        if (request.WorkingDirectory is not null) start.WorkingDirectory = request.WorkingDirectory;
        if (!request.InheritEnvironment) start.Environment.Clear();
        foreach (var (name, value) in request.Environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        var program = Path.GetFileName(request.Executable);
        var lines = new OutputLines(request.Masker, request.OnLine, request.Logger, request.LogLevel, program);
        var stdout = new StreamCapture(request.MaxCapturedBytes, request.StreamStandardOutput ? lines : null);
        var stderr = new StreamCapture(request.MaxCapturedBytes, lines);

        var process = new Process { StartInfo = start };
        try
        {
            return await RunStartedAsync(process, ownGroup, request, path, lines, stdout, stderr, cancellationToken, caller).ConfigureAwait(false);
        }
        finally
        {
            Dispose(process);
        }
    }

    private static async Task<ProcessResult> RunStartedAsync(Process process, bool ownGroup, ProcessRequest request, string path, OutputLines lines,
        StreamCapture stdout, StreamCapture stderr, CancellationToken cancellationToken, string caller)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            process.Start();
        }
        catch (Win32Exception error)
        {
            throw new DockyardException(
                $"Cannot run {path}: {error.Message}. Check that it is an executable program (a script needs a '#!' line) " +
                (request.WorkingDirectory is null ? "" : $"and that the directory {request.WorkingDirectory} exists ") + "or reinstall it.",
                error, caller);
        }

        var overflow = new CancellationTokenSource();
        var readOut = Task.Run(() => PumpAsync(process.StandardOutput.BaseStream, stdout, request.KillWhenOutputExceedsCap ? overflow : null), CancellationToken.None);
        var readErr = Task.Run(() => PumpAsync(process.StandardError.BaseStream, stderr, request.KillWhenOutputExceedsCap ? overflow : null), CancellationToken.None);
        var feed = Task.Run(() => FeedAsync(process.StandardInput, request.StandardInput), CancellationToken.None);

        using var timeout = new CancellationTokenSource();
        if (request.Timeout is { } after) timeout.CancelAfter(after);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, overflow.Token);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessGroup.Kill(process, ownGroup);
            killed = true;
            using var bounded = new CancellationTokenSource(KillWait);
            try
            {
                await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Unkillable (uninterruptible sleep): report what we have rather than wait forever.
            }
        }

        var duration = clock.Elapsed;
        var reading = Task.WhenAll(readOut, readErr);
        var pipesClosed = await Task.WhenAny(reading, Task.Delay(request.PipeGrace, CancellationToken.None)).ConfigureAwait(false) == reading;
        stdout.Complete();
        stderr.Complete();
        var tail = lines.Close();
        // The feeder closes standard input itself; wait for it (bounded: a grandchild may hold the pipe unread) so that
        // disposing the process does not close the same writer concurrently.
        await Task.WhenAny(feed, Task.Delay(request.PipeGrace, CancellationToken.None)).ConfigureAwait(false);
        Observe(reading);
        Observe(feed);

        var killedForOutput = killed && overflow.IsCancellationRequested;
        var timedOut = killed && !killedForOutput && timeout.IsCancellationRequested;
        if (killed && !killedForOutput && !timedOut) cancellationToken.ThrowIfCancellationRequested();
        var exitCode = killed || !process.HasExited ? -1 : process.ExitCode;
        return new ProcessResult(exitCode, stdout.Snapshot(), stderr.Snapshot(), tail, duration, timedOut)
        {
            KilledForOutput = killedForOutput,
            PipesLeftOpen = !pipesClosed,
        };
    }

    /// <summary>Runs <paramref name="request"/> synchronously (for callers that are not asynchronous, such as git lookups).</summary>
    /// <exception cref="ExecutableNotFoundException">The program is not installed.</exception>
    public static ProcessResult Run(ProcessRequest request, [CallerFilePath] string caller = "") =>
        RunAsync(request, CancellationToken.None, caller).GetAwaiter().GetResult();

    private static ExecutableNotFoundException NotFound(ProcessRequest request, string caller)
    {
        var where = request.Executable.Contains('/', StringComparison.Ordinal) ? "is not an executable file" : "was not found on PATH";
        return new ExecutableNotFoundException(request.Executable, $"'{request.Executable}' {where}. {request.InstallHint}", caller);
    }

    private static async Task PumpAsync(Stream stream, StreamCapture capture, CancellationTokenSource? overflow)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while (!capture.IsClosed && (read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (!capture.Write(buffer.AsSpan(0, read)) && overflow is not null)
                {
                    overflow.Cancel();
                }
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The run returned and closed the pipe under a lingering reader.
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task FeedAsync(StreamWriter writer, ReadOnlyMemory<byte>? input)
    {
        try
        {
            // Written to the base stream (no encoding), then the writer itself is disposed: a writer left open would
            // flush into the closed pipe when the process is disposed and throw there.
            if (input is { } bytes) await writer.BaseStream.WriteAsync(bytes).ConfigureAwait(false);
            await writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // The program exited without reading all of its input; its exit code and output say why.
        }
    }

    private static void Dispose(Process process)
    {
        try
        {
            process.Dispose();
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException)
        {
            // A pipe the program (or a child of it) closed first; nothing of the result depends on it.
        }
    }

    private static void Observe(Task task) =>
        _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
}
