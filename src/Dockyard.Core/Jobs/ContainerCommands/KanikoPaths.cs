using System.Text;
using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// <c>/kaniko</c> of a kaniko job, mapped to a private directory of the job (<c>JOB.tmp/kaniko</c>, removed with the
/// job): the script's words that start with the <c>/kaniko</c> path (<c>/kaniko/executor</c>,
/// <c>mkdir -p /kaniko/.docker</c>, <c>&gt; /kaniko/.docker/config.json</c>) are rewritten before bash runs them, while
/// the log echoes each line as written. Nothing is ever written to the real <c>/kaniko</c>.
/// </summary>
internal static class KanikoPaths
{
    /// <summary>The tool name of the executor shim (<c>dockyard container kaniko -- ARGS</c>).</summary>
    public const string Tool = "kaniko";

    /// <summary>The path kaniko's image keeps its executor and docker config under.</summary>
    public const string Prefix = "/kaniko";

    /// <summary>The executor as jobs call it, for messages.</summary>
    public const string Executor = "/kaniko/executor";

    /// <summary>The variable holding the job's private <c>/kaniko</c>.</summary>
    public const string RootVariable = "DOCKYARD_JOB_KANIKO_ROOT";

    /// <summary>Characters before <c>/kaniko</c> that start a word or a path in bash (so <c>$DIR/kaniko</c> is left alone).</summary>
    private const string Before = " \t\n\"'=<>(;|&`{,:";

    /// <summary>Characters after <c>/kaniko</c> that end the path component.</summary>
    private const string After = "/ \t\n\"';|&)}`:<>";

    /// <summary>The private <c>/kaniko</c> of the job whose temporary directory is <paramref name="jobTemporary"/>.</summary>
    public static string Root(string jobTemporary) => Path.Combine(jobTemporary, "kaniko");

    /// <summary><paramref name="command"/> with every <c>/kaniko</c> path that starts a word replaced by <paramref name="root"/>.</summary>
    /// <exception cref="DockyardException">The root holds characters that would need quoting in bash (the project's path).</exception>
    public static string Map(string command, string root)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.Contains(Prefix, StringComparison.Ordinal)) return command;
        if (root.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '@' or '%' or ',')))
            throw new DockyardException($"the job's private /kaniko directory ({root}) has characters bash would split or expand; " +
                "run the pipeline from a directory whose path has only letters, digits and / . _ - + @ % ,");
        var mapped = new StringBuilder(command.Length + 64);
        var index = 0;
        while (true)
        {
            var found = command.IndexOf(Prefix, index, StringComparison.Ordinal);
            if (found < 0) break;
            var end = found + Prefix.Length;
            var starts = found == 0 || Before.Contains(command[found - 1], StringComparison.Ordinal) || (command[found - 1] == '-' && found >= 2 && command[found - 2] == ':');
            var ends = end == command.Length || After.Contains(command[end], StringComparison.Ordinal);
            mapped.Append(command, index, found - index).Append(starts && ends ? root : Prefix);
            index = end;
        }
        return mapped.Append(command, index, command.Length - index).ToString();
    }

    /// <summary>A path the executor was given (or <c>DOCKER_CONFIG</c>): under <c>/kaniko</c> it is the job's private directory.</summary>
    public static string MapPath(string path, string? root) =>
        root is not null && (path == Prefix || path.StartsWith(Prefix + "/", StringComparison.Ordinal)) ? root + path[Prefix.Length..] : path;

    /// <summary>A path of the job's private directory as the job wrote it (<c>/kaniko/…</c>), for messages.</summary>
    public static string Shown(string path, string? root) =>
        root is not null && path.StartsWith(root + "/", StringComparison.Ordinal) ? Prefix + path[root.Length..] : path;
}
