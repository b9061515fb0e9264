using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Dockyard.Tests.Infrastructure;

/// <summary>The result of a finished process.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Throws with both outputs when the exit code is not 0.</summary>
    public ProcessResult EnsureSuccess(string what)
    {
        if (ExitCode != 0) throw new InvalidOperationException($"{what} exited with {ExitCode}:\n{StandardOutput}\n{StandardError}");
        return this;
    }
}

/// <summary>Runs real tools (skopeo, htpasswd) with an argument list (no shell), a timeout and captured output.</summary>
public static class ProcessRunner
{
    /// <summary>Every command line started by tests through this runner (for assertions that no secret is passed as an argument).</summary>
    public static ConcurrentQueue<string> CommandLines { get; } = new();

    /// <summary>Runs <paramref name="fileName"/> to completion (killed after <paramref name="timeout"/>, default 2 minutes).</summary>
    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string? standardInput = null, TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        CommandLines.Enqueue(fileName + " " + string.Join(" ", info.ArgumentList));
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{fileName} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(" ", info.ArgumentList)} did not finish in time");
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
