using Dockyard.Diagnostics;
using Dockyard.Processes;

namespace Dockyard.Pipelines.Variables;

/// <summary>What a git call printed, as the pipeline readers use it: stdout on success, nothing on failure.</summary>
internal static class GitOutput
{
    /// <summary>The most of git's stdout that is read (64 MiB: ref lists and diff names of very large repositories).</summary>
    public const int MaxBytes = 64 * 1024 * 1024;

    /// <summary>Standard output when git exited with 0, <c>null</c> when it failed (not a repository, unknown ref).</summary>
    /// <exception cref="DockyardException">git was killed after its timeout, or printed more than <see cref="MaxBytes"/>.</exception>
    public static string? Of(ProcessResult result, ProcessRequest request, string directory)
    {
        if (result.TimedOut)
        {
            throw new DockyardException(
                $"'{request.Display}' in {directory} did not finish within {request.Timeout?.TotalSeconds:0.#} s and was killed. " +
                "Check the repository for a stale lock (.git/index.lock) or a hook/fsmonitor that hangs, then run the command by hand.");
        }

        if (result.StandardOutput.Truncated)
        {
            throw new DockyardException(
                $"'{request.Display}' in {directory} printed more than {MaxBytes / (1024 * 1024)} MiB; Dockyard does not read that much git output. " +
                "Compare against a closer base (rules:changes:compare_to).");
        }

        return result.ExitCode == 0 ? result.StandardOutput.Text : null;
    }
}
