using Dockyard.Diagnostics;
using Dockyard.Images.Daemon;
using Dockyard.Processes;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// A line Dockyard does not carry out (<c>docker run</c>, <c>exec</c>, <c>compose</c>, a build that must <c>RUN</c>
/// something): run by the real tool on the job's original PATH when it can work here (a Docker daemon answers; buildah
/// and podman need none), else an error naming the line, what it needs and how to get it.
/// </summary>
internal static class ExternalHandler
{
    /// <summary>The code of "this line needs a tool this machine does not have".</summary>
    public const string NeedsToolCode = DiagnosticCodes.ContainerCommandNeedsTool;

    public static async Task<int> RunAsync(ContainerJob job, string tool, IReadOnlyList<string> arguments, string needs, CancellationToken cancellationToken)
    {
        var line = ContainerCommandRunner.Line(tool, arguments);
        var executable = job.FindTool(tool);
        if (executable is null && tool == "docker" && arguments.Count > 0 && arguments[0] is "info" or "version")
            return Describe(job, line, "there is no docker program on the job's PATH");
        if (executable is null)
            throw Unavailable(job, line, needs, $"there is no {tool} program on the job's PATH", tool);
        if (tool == "docker")
        {
            await using var engine = DockerEngine.ForHost(job.Host);
            if (await engine.TryPingAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                if (arguments.Count > 0 && arguments[0] is "info" or "version") return Describe(job, line, $"no Docker daemon answers at {engine.Endpoint}");
                throw Unavailable(job, line, needs, $"no Docker daemon answers at {engine.Endpoint}", tool);
            }
        }
        job.Note($"{line}: handed to {executable}");
        var result = await ProcessRunner.RunAsync(new ProcessRequest(executable, arguments)
        {
            Environment = job.Host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal),
            InheritEnvironment = false,
            WorkingDirectory = job.Host.WorkingDirectory,
            MaxCapturedBytes = 1 << 16,
            OnLine = job.Output.WriteLine,
            Masker = job.Host.Masker,
        }, cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>
    /// <c>docker info</c> / <c>docker version</c> without a daemon (GitLab's Docker-in-Docker snippets start with them):
    /// says what answers the job's docker lines instead, and succeeds.
    /// </summary>
    private static int Describe(ContainerJob job, string line, string why)
    {
        job.Output.WriteLine($"Client: Dockyard {typeof(ExternalHandler).Assembly.GetName().Version?.ToString(3)} (carries out login, build, tag, push, pull, images and inspect natively)");
        job.Output.WriteLine($"Server: none ({why}); lines that need a daemon (run, exec, compose, a build with RUN) fail naming the line");
        job.Note($"{line}: answered by Dockyard, no Docker daemon is used by this job");
        return 0;
    }

    private static DockyardException Unavailable(ContainerJob job, string line, string needs, string why, string tool) => new(
        $"{line} (job '{job.JobName}') needs {needs}, and {why}. Dockyard carries out login, logout, build (without RUN), tag, push, pull, images and inspect itself; " +
        (tool == "docker"
            ? "for this line start a Docker daemon on this machine (or point DOCKER_HOST at one), or run the job with '--executor docker'."
            : $"for this line install {tool} (e.g. apt-get install {tool}).") + " See docs/container-commands.md.")
    {
        Code = NeedsToolCode,
    };
}
