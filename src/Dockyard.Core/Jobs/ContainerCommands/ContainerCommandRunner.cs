using Dockyard.Diagnostics;
using Dockyard.Hosting;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>
/// Carries out one docker/buildah/podman line of a shell job (what the job's shims call through
/// <c>dockyard container TOOL ARGS</c>): login, build, tag, push, pull, images and inspect natively, anything else by
/// the real tool when one can run it (docs/container-commands.md).
/// </summary>
public static class ContainerCommandRunner
{
    /// <summary>Parses and carries out <paramref name="arguments"/> of <paramref name="tool"/>; returns the exit code.</summary>
    /// <param name="host">The job's environment (the shims' <c>DOCKYARD_JOB_*</c> variables), working directory and logger (standard error).</param>
    /// <param name="tool"><c>docker</c>, <c>buildah</c>, <c>podman</c> or <c>kaniko</c> (<c>/kaniko/executor</c>).</param>
    /// <param name="arguments">The arguments after the tool's name, as the script gave them.</param>
    /// <param name="input">Standard input (<c>--password-stdin</c>).</param>
    /// <param name="output">Standard output (IDs, tables, <c>Login Succeeded</c>).</param>
    /// <param name="cancellationToken">Stops the command.</param>
    /// <exception cref="DockyardException">Bad input, or a line that cannot run here: the message names the line (tool and command), the job and what to do.</exception>
    public static async Task<int> RunAsync(HostContext host, string tool, IReadOnlyList<string> arguments, TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var job = ContainerJob.FromHost(host, input, output);
        var line = Line(tool, arguments);
        try
        {
            var command = ContainerCommandParser.Parse(tool, arguments);
            return await new ContainerCommandExecutor(job).ExecuteAsync(command, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (DockyardException error) when (!error.Message.StartsWith(line, StringComparison.Ordinal))
        {
            throw new DockyardException($"{line} (job '{job.JobName}'): {error.Message}", error) { Code = error.Code, Setting = error.Setting, Subject = error.Subject };
        }
    }

    /// <summary>The line as messages name it: the tool and its command (never the other arguments, which may carry secrets).</summary>
    internal static string Line(string tool, IReadOnlyList<string> arguments)
    {
        if (tool == KanikoPaths.Tool) return KanikoPaths.Executor;
        var words = arguments.TakeWhile(a => !a.StartsWith('-')).Take(tool == "docker" && arguments.Count > 0 && arguments[0] is "buildx" or "image" or "manifest" ? 2 : 1);
        return string.Join(' ', [tool, .. words]);
    }
}
