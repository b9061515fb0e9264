using Dockyard.Diagnostics;
using Dockyard.Processes;

namespace Dockyard.Pipelines.Variables;

/// <summary>One short git call of the pipeline readers: stdout on success, null when git fails or is not installed.</summary>
/// <param name="gitExecutable">git: a path, or a name on PATH.</param>
/// <param name="directory">The work tree the call runs in.</param>
/// <param name="timeout">How long the call may take before it is killed (default <see cref="GitRepositoryReader.DefaultTimeout"/>).</param>
internal sealed class GitCommand(string gitExecutable, string directory, TimeSpan? timeout = null)
{
    /// <summary>Runs <c>git ARGS</c>; null when git exits non-zero (not a repository, unknown ref) or is missing.</summary>
    /// <exception cref="DockyardException">git did not finish within the timeout (it was killed).</exception>
    public string? Run(params string[] arguments)
    {
        var request = new ProcessRequest(gitExecutable, arguments)
        {
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
            Timeout = timeout ?? GitRepositoryReader.DefaultTimeout,
            StreamStandardOutput = false,
            MaxCapturedBytes = GitOutput.MaxBytes,
        };
        try
        {
            return GitOutput.Of(ProcessRunner.Run(request), request, directory);
        }
        catch (ExecutableNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The full SHA of the commit <paramref name="revision"/> names, or null when it names none.</summary>
    public string? CommitSha(string revision) =>
        revision.StartsWith('-') ? null : Run("rev-parse", "--verify", "--quiet", "--end-of-options", revision + "^{commit}")?.Trim() is { Length: > 0 } sha ? sha : null;

    /// <summary>The best common ancestor of <paramref name="sha"/> and HEAD, or null when they share no history.</summary>
    public string? MergeBaseWithHead(string sha) => Run("merge-base", sha, "HEAD")?.Trim() is { Length: > 0 } b ? b : null;
}
