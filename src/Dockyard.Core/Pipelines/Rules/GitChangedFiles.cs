using System.Diagnostics;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// The files <c>rules:changes</c> compares with, computed locally with git: <c>git diff --name-only BASE</c> (committed
/// and uncommitted changes since BASE), where BASE is <c>compare_to</c> or else <c>origin/DEFAULT_BRANCH</c>
/// (falling back to the local default branch). Outside a git repository, or when BASE does not exist, nothing changed.
/// </summary>
internal sealed class GitChangedFiles(string projectDirectory, string? defaultBranch, string gitExecutable = "git")
{
    private readonly Dictionary<string, IReadOnlyList<string>> _byBase = new(StringComparer.Ordinal);

    /// <summary>The changed files (relative, '/'-separated) against <paramref name="compareTo"/> or the default branch.</summary>
    public IReadOnlyList<string> Against(string? compareTo)
    {
        var key = compareTo ?? "";
        if (_byBase.TryGetValue(key, out var cached)) return cached;
        IReadOnlyList<string> files = [];
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

    private string? Git(params string[] args)
    {
        var start = new ProcessStartInfo(gitExecutable)
        {
            WorkingDirectory = projectDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        try
        {
            using var process = Process.Start(start);
            if (process is null) return null;
            var stdout = process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 ? stdout.Result : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
