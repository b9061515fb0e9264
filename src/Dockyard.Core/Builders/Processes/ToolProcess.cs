using System.ComponentModel;
using System.Diagnostics;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Builders.Processes;

/// <summary>
/// Runs an external tool to completion: arguments as a list, secrets only through standard input and environment,
/// every output line masked before it reaches the caller's log or the kept tail, the whole process tree killed on
/// timeout or cancellation.
/// </summary>
internal static class ToolProcess
{
    private const int KeptLines = 200;

    /// <summary>Runs <paramref name="invocation"/>; each masked output line goes to <paramref name="onLine"/>.</summary>
    /// <exception cref="DockyardException">The executable cannot be started (not installed).</exception>
    public static async Task<ToolResult> RunAsync(ToolInvocation invocation, SecretMasker masker, Action<string>? onLine, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(invocation.Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in invocation.Arguments) info.ArgumentList.Add(argument);
        foreach (var (name, value) in invocation.Environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }

        var lines = new Queue<string>();
        void Receive(string? line)
        {
            if (line is null) return;
            var masked = masker.Mask(line);
            lock (lines)
            {
                lines.Enqueue(masked);
                if (lines.Count > KeptLines) lines.Dequeue();
            }
            onLine?.Invoke(masked);
        }

        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Receive(e.Data);
        process.ErrorDataReceived += (_, e) => Receive(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new DockyardException($"Cannot run '{invocation.Executable}': {e.Message}. Install it or put it on PATH.", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            if (invocation.StandardInput is not null) await process.StandardInput.WriteAsync(invocation.StandardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading its input; its exit code and output say why.
        }

        using var timeout = invocation.Timeout is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            return new ToolResult(-1, Snapshot(lines), TimedOut: true);
        }

        // The parameterless wait also drains the asynchronous output readers.
        process.WaitForExit();
        return new ToolResult(process.ExitCode, Snapshot(lines), TimedOut: false);
    }

    private static List<string> Snapshot(Queue<string> lines)
    {
        lock (lines) return lines.ToList();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}
