using System.Globalization;
using Dockyard.Diagnostics;
using Dockyard.Processes;

namespace Dockyard.Pipelines.Variables;

/// <summary>The facts about the checked-out commit that predefined variables are made of.</summary>
internal sealed record GitCommitInfo(
    string Sha,
    string Message,
    string AuthorName,
    string AuthorEmail,
    DateTimeOffset CommitterDate,
    string? Branch,
    string? Tag,
    string TagMessage,
    string DefaultBranch,
    string? RemoteUrl);

/// <summary>Reads a work tree's HEAD, refs and <c>origin</c> remote by running the real <c>git</c> executable.</summary>
/// <param name="gitExecutable">git: a path, or a name on PATH.</param>
/// <param name="directory">The work tree (or a directory inside it).</param>
/// <param name="timeout">How long one git call may take before it is killed (default 60 s).</param>
internal sealed class GitRepositoryReader(string gitExecutable, string directory, TimeSpan? timeout = null)
{
    /// <summary>How long one git call may take by default.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Returns the HEAD facts, or null when the directory is not inside a git work tree with a commit.</summary>
    public GitCommitInfo? Read()
    {
        // Three independent git calls, run side by side: HEAD's SHA and raw commit, all refs, the origin URL.
        var commitTask = RunAsync("HEAD\n", "cat-file", "--batch");
        var refsTask = RunAsync(null, "for-each-ref", "--sort=-v:refname",
            "--format=%(HEAD)%00%(refname)%00%(objectname)%00%(*objectname)%00%(symref)",
            "refs/heads", "refs/tags", "refs/remotes/origin");
        var remoteTask = RunAsync(null, "config", "--get", "remote.origin.url");
        Task.WhenAll(commitTask, refsTask, remoteTask).GetAwaiter().GetResult();

        var batch = commitTask.Result;
        var header = batch?.IndexOf('\n') ?? -1;
        var fields = header < 0 ? [] : batch![..header].Split(' ');
        if (fields.Length != 3 || fields[1] != "commit" || fields[0].Length < 40)
        {
            return null;
        }

        var sha = fields[0];
        // --batch prints the object then one newline of its own.
        var commit = batch![(header + 1)..];
        if (commit.EndsWith('\n'))
        {
            commit = commit[..^1];
        }

        var refs = ParseRefs(refsTask.Result ?? "");
        var defaultBranch = DefaultBranch(refs);
        var branch = refs.CurrentBranch;
        string? tag = null;
        if (branch is null)
        {
            tag = refs.Tags.Where(t => t.Target == sha).Select(t => t.Name).FirstOrDefault();
            if (tag is null)
            {
                var heads = refs.Heads.Where(h => h.Target == sha).Select(h => h.Name)
                    .Concat(refs.RemoteBranches.Where(h => h.Target == sha).Select(h => h.Name)).ToList();
                branch = heads.Contains(defaultBranch) ? defaultBranch : heads.FirstOrDefault() ?? defaultBranch;
            }
        }

        var (message, authorName, authorEmail, committed) = ParseCommit(commit);
        var remote = remoteTask.Result?.Trim();

        // The annotation of an annotated tag (empty for a lightweight one); only needed for tag pipelines.
        var tagMessage = tag is null ? "" : (RunAsync(null, "tag", "--list", "--format=%(contents)", "--", tag).GetAwaiter().GetResult() ?? "").TrimEnd('\n');
        return new GitCommitInfo(sha, message, authorName, authorEmail, committed, branch, tag, tagMessage, defaultBranch,
            string.IsNullOrEmpty(remote) ? null : remote);
    }

    private sealed record NamedRef(string Name, string Target);

    private sealed record RefSet(
        List<NamedRef> Heads, List<NamedRef> Tags, List<NamedRef> RemoteBranches, string? OriginHead, string? CurrentBranch);

    private static RefSet ParseRefs(string output)
    {
        var set = new RefSet([], [], [], null, null);
        string? originHead = null;
        string? current = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\0');
            if (parts.Length < 5)
            {
                continue;
            }

            var (isHead, name, target, peeled, symref) = (parts[0] == "*", parts[1], parts[2], parts[3], parts[4]);
            if (isHead && name.StartsWith("refs/heads/", StringComparison.Ordinal))
            {
                current = name["refs/heads/".Length..];
            }

            if (name == "refs/remotes/origin/HEAD")
            {
                originHead = symref.StartsWith("refs/remotes/origin/", StringComparison.Ordinal)
                    ? symref["refs/remotes/origin/".Length..]
                    : null;
            }
            else if (name.StartsWith("refs/heads/", StringComparison.Ordinal))
            {
                set.Heads.Add(new NamedRef(name["refs/heads/".Length..], target));
            }
            else if (name.StartsWith("refs/tags/", StringComparison.Ordinal))
            {
                set.Tags.Add(new NamedRef(name["refs/tags/".Length..], peeled.Length > 0 ? peeled : target));
            }
            else if (name.StartsWith("refs/remotes/origin/", StringComparison.Ordinal))
            {
                set.RemoteBranches.Add(new NamedRef(name["refs/remotes/origin/".Length..], target));
            }
        }

        return set with { OriginHead = originHead, CurrentBranch = current };
    }

    /// <summary><c>refs/remotes/origin/HEAD</c>, else <c>main</c> or <c>master</c> (local or on origin), else <c>main</c>.</summary>
    private static string DefaultBranch(RefSet refs)
    {
        if (!string.IsNullOrEmpty(refs.OriginHead))
        {
            return refs.OriginHead;
        }

        foreach (var candidate in new[] { "main", "master" })
        {
            if (refs.Heads.Any(h => h.Name == candidate) || refs.RemoteBranches.Any(h => h.Name == candidate))
            {
                return candidate;
            }
        }

        return "main";
    }

    /// <summary>Splits a raw commit object into its message (exactly as stored), author and committer date.</summary>
    private static (string Message, string AuthorName, string AuthorEmail, DateTimeOffset Committed) ParseCommit(string commit)
    {
        var separator = commit.IndexOf("\n\n", StringComparison.Ordinal);
        var headers = separator < 0 ? commit : commit[..separator];
        var message = separator < 0 ? "" : commit[(separator + 2)..];
        var authorName = "";
        var authorEmail = "";
        var committed = DateTimeOffset.UnixEpoch;
        foreach (var line in headers.Split('\n'))
        {
            if (line.StartsWith("author ", StringComparison.Ordinal))
            {
                (authorName, authorEmail, _) = ParseIdentity(line["author ".Length..]);
            }
            else if (line.StartsWith("committer ", StringComparison.Ordinal))
            {
                committed = ParseIdentity(line["committer ".Length..]).When;
            }
        }

        return (message, authorName, authorEmail, committed);
    }

    private static (string Name, string Email, DateTimeOffset When) ParseIdentity(string value)
    {
        var open = value.IndexOf('<');
        var close = value.IndexOf('>', Math.Max(open, 0));
        if (open < 0 || close < 0)
        {
            return (value.Trim(), "", DateTimeOffset.UnixEpoch);
        }

        var name = value[..open].Trim();
        var email = value[(open + 1)..close];
        var rest = value[(close + 1)..].Trim().Split(' ');
        var when = rest.Length > 0 && long.TryParse(rest[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.UnixEpoch;
        return (name, email, when);
    }

    /// <summary>Runs git with <paramref name="input"/> on stdin; returns stdout, or null when git fails or is missing.</summary>
    /// <exception cref="DockyardException">git did not finish within the timeout (it was killed).</exception>
    private async Task<string?> RunAsync(string? input, params string[] arguments)
    {
        var request = new ProcessRequest(gitExecutable, ["-c", "core.quotepath=off", .. arguments])
        {
            WorkingDirectory = directory,
            Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C" },
            Timeout = timeout ?? DefaultTimeout,
            StreamStandardOutput = false,
            MaxCapturedBytes = GitOutput.MaxBytes,
        }.WithInput(input);
        try
        {
            var result = await ProcessRunner.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
            return GitOutput.Of(result, request, directory);
        }
        catch (ExecutableNotFoundException)
        {
            // git is not installed: behave as outside a repository.
            return null;
        }
    }
}
