using System.Runtime.InteropServices;
using CliWrap;

namespace Dockyard.Jobs.Shell;

/// <summary>
/// Starts one bash for a job step: in its own session and process group (<c>setsid</c>), stdin from <c>/dev/null</c>,
/// stdout and stderr streamed line by line to a callback. A timeout or cancellation sends SIGTERM to the whole group,
/// then SIGKILL after a grace period; when bash ends, whatever it left running in its group is killed too, so no
/// grandchild survives the step. The only place of the job engine that starts processes.
/// </summary>
internal static class JobProcess
{
    private const int SigTerm = 15;
    private const int SigKill = 9;
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>How a step ended.</summary>
    /// <param name="ExitCode">Bash's exit code (128+signal when it was killed).</param>
    /// <param name="TimedOut">True when <c>timeout</c> ran out and the group was killed.</param>
    /// <param name="Canceled">True when the run was canceled (Ctrl+C) and the group was killed.</param>
    internal readonly record struct Outcome(int ExitCode, bool TimedOut, bool Canceled);

    /// <summary>Runs <c>bash</c> on <paramref name="scriptPath"/> in <paramref name="workingDirectory"/>.</summary>
    public static async Task<Outcome> RunAsync(string scriptPath, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, Action<string> onLine, TimeSpan timeout, CancellationToken cancellation)
    {
        var command = Cli.Wrap("setsid")
            .WithArguments(["bash", "--noprofile", "--norc", scriptPath])
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(onLine))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(onLine))
            .WithValidation(CommandResultValidation.None);
        CommandTask<CommandResult> task;
        try
        {
            task = command.ExecuteAsync(CancellationToken.None);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new Diagnostics.DockyardException($"could not start bash through setsid ({ex.Message}). Install bash and util-linux (setsid) on this machine.");
        }

        var group = task.ProcessId;
        var deadline = DateTime.UtcNow + timeout;
        bool timedOut = false, canceled = false, killed = false, leaderGone = false;
        while (!task.Task.IsCompleted)
        {
            await Task.WhenAny(task.Task, Task.Delay(Poll, CancellationToken.None)).ConfigureAwait(false);
            if (task.Task.IsCompleted) break;
            if (!killed && (DateTime.UtcNow >= deadline || cancellation.IsCancellationRequested))
            {
                timedOut = !cancellation.IsCancellationRequested;
                canceled = cancellation.IsCancellationRequested;
                killed = true;
                await TerminateGroupAsync(group, task.Task).ConfigureAwait(false);
            }
            else if (!leaderGone && !IsAlive(group))
            {
                // bash has ended but something it started still holds the output pipe: end the rest of its group.
                leaderGone = true;
                Signal(group, SigKill);
            }
        }

        var result = await task.Task.ConfigureAwait(false);
        Signal(group, SigKill);
        return new Outcome(result.ExitCode, timedOut, canceled);
    }

    /// <summary>Runs a helper tool (<c>git ls-files</c>) and returns its stdout, or null when it failed or is missing.</summary>
    public static async Task<string?> CaptureAsync(string executable, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellation)
    {
        // Through the shared runner: stdin closed at once (no stdin pipe to race a fast-exiting git), output capped.
        var request = new Processes.ProcessRequest(executable, arguments)
        {
            WorkingDirectory = workingDirectory,
            StreamStandardOutput = false,
            MaxCapturedBytes = 256 * 1024 * 1024,
            Timeout = TimeSpan.FromMinutes(5),
        };
        try
        {
            var result = await Processes.ProcessRunner.RunAsync(request, cancellation).ConfigureAwait(false);
            return result.Succeeded && !result.StandardOutput.Truncated ? result.StandardOutput.Text : null;
        }
        catch (Processes.ExecutableNotFoundException)
        {
            return null;
        }
    }

    private static async Task TerminateGroupAsync(int group, Task running)
    {
        Signal(group, SigTerm);
        await Task.WhenAny(running, Task.Delay(Grace, CancellationToken.None)).ConfigureAwait(false);
        Signal(group, SigKill);
    }

    private static bool IsAlive(int pid) => Kill(pid, 0) == 0;

    private static void Signal(int group, int signal) => _ = Kill(-group, signal);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
