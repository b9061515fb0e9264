using Dockyard.Diagnostics;
using Dockyard.Pipelines.Variables;
using Dockyard.Processes;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// The files <c>rules:changes</c> compares with, computed locally with git: <c>git diff --name-only BASE</c> (committed
/// and uncommitted changes since BASE), where BASE is <c>compare_to</c> or else <c>origin/DEFAULT_BRANCH</c>
/// (falling back to the local default branch). Without a default-branch base (no git, no such branch) there is no list
/// of changed paths, as for a push that creates a branch: <see cref="Against"/> returns null and <c>changes</c> is true
/// (lib/gitlab/ci/build/rules/rule/clause/changes.rb: <c>return true unless modified_paths</c>). A <c>compare_to</c>
/// that does not resolve gives an empty list.
/// </summary>
/// <param name="projectDirectory">The work tree.</param>
/// <param name="defaultBranch">The project's default branch, the base when <c>compare_to</c> is not given.</param>
/// <param name="gitExecutable">git: a path, or a name on PATH.</param>
/// <param name="timeout">How long one git call may take before it is killed (default 60 s).</param>
internal sealed class GitChangedFiles(string projectDirectory, string? defaultBranch, string gitExecutable = "git", TimeSpan? timeout = null)
{
    private readonly Dictionary<string, IReadOnlyList<string>?> _byBase = new(StringComparer.Ordinal);

    /// <summary>
    /// The changed files (relative, '/'-separated) against <paramref name="compareTo"/> or the default branch; null
    /// when there is no default-branch base to compare with (every <c>changes</c> clause is then true).
    /// </summary>
    public IReadOnlyList<string>? Against(string? compareTo)
    {
        var key = compareTo ?? "";
        if (_byBase.TryGetValue(key, out var cached)) return cached;
        IReadOnlyList<string>? files = compareTo is null ? null : [];
        var candidates = compareTo is not null ? [compareTo]
            : string.IsNullOrEmpty(defaultBranch) ? Array.Empty<string>() : new[] { "origin/" + defaultBranch, defaultBranch };
        foreach (var candidate in candidates)
        {
            var output = Git("diff", "--name-only", candidate, "--");
            if (output is null) continue;
            files = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            break;
        }
        _byBase[key] = files;
        return files;
    }

    /// <exception cref="DockyardException">git did not finish within the timeout (it was killed).</exception>
    private string? Git(params string[] args)
    {
        var request = new ProcessRequest(gitExecutable, args)
        {
            WorkingDirectory = projectDirectory,
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
            Timeout = timeout ?? GitRepositoryReader.DefaultTimeout,
            StreamStandardOutput = false,
            MaxCapturedBytes = GitOutput.MaxBytes,
        };
        try
        {
            return GitOutput.Of(ProcessRunner.Run(request), request, projectDirectory);
        }
        catch (ExecutableNotFoundException)
        {
            // git is not installed: nothing changed.
            return null;
        }
    }
}
