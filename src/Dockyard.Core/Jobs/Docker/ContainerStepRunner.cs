using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Jobs.Shell;
using Dockyard.Jobs.Workspace;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Runs one step's script in a new container of the job's image, as the runner's docker executor does: the job
/// directory bind-mounted at <see cref="ContainerPaths.ProjectDirectory"/>, the step's script mounted next to it and
/// run by bash when the image has one (else <c>sh</c>), as the image's <c>docker:user</c> and for its
/// <c>docker:platform</c>, on the attempt's network (<see cref="JobNetwork"/>: its own, or the host network with the
/// services' hostnames pointing at 127.0.0.1, <paramref name="extraHosts"/>), output streamed line by line. Timeout
/// and cancellation kill the container; it is always removed.
/// </summary>
internal sealed class ContainerStepRunner(DockerClient client, ContainerImage image,
    ContainerPaths paths, string networkMode, IReadOnlyList<string> extraHosts, string jobName) : IJobStepRunner
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public async Task<JobProcess.Outcome> RunAsync(BuildDirectory directory, string scriptPath, IReadOnlyDictionary<string, string> variables,
        Action<string> onLine, TimeSpan timeout, CancellationToken cancellation)
    {
        var script = paths.TemporaryDirectory + "/" + Path.GetFileName(scriptPath);
        var environment = paths.Environment(variables, directory);
        // Another user than the file's owner (docker:user) must read the script; it holds the job's commands, no values.
        if (image.DockerUser is not null && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(scriptPath, File.GetUnixFileMode(scriptPath) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var create = new CreateContainerParameters
        {
            Image = image.Name,
            Platform = image.DockerPlatform,
            User = image.DockerUser!,
            Name = $"dockyard-{ContainerNames.Safe(jobName)}-{Guid.NewGuid():N}",
            Labels = new Dictionary<string, string> { [ContainerNames.Label] = "step", [ContainerNames.JobLabel] = jobName },
            Env = environment,
            WorkingDir = paths.ProjectDirectory,
            Entrypoint = image.Entrypoint?.ToList()!,
            Cmd = ["sh", "-c", $"if command -v bash >/dev/null 2>&1; then exec bash --noprofile --norc {script}; else exec sh {script}; fi"],
            AttachStdout = true,
            AttachStderr = true,
            Tty = false,
            HostConfig = new HostConfig
            {
                Binds = paths.Binds(directory),
                NetworkMode = networkMode,
                ExtraHosts = extraHosts.ToList(),
            },
        };
        CreateContainerResponse created;
        try
        {
            created = await client.Containers.CreateContainerAsync(create, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new Diagnostics.DockyardException($"job {jobName}: the Docker daemon could not create a container of {image.Name}: {ex.Message.Trim()}") { Subject = image.Name };
        }

        var id = created.ID;
        try
        {
            using var logs = await client.Containers.AttachContainerAsync(id, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, CancellationToken.None).ConfigureAwait(false);
            try
            {
                await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                throw new Diagnostics.DockyardException($"job {jobName}: the Docker daemon could not start a container of {image.Name}: {ex.Message.Trim()}. Check the image's entrypoint or set entrypoint: [\"\"].") { Subject = image.Name };
            }

            var reading = PumpAsync(logs, onLine);
            var waiting = client.Containers.WaitContainerAsync(id, CancellationToken.None);
            var deadline = DateTime.UtcNow + timeout;
            bool timedOut = false, canceled = false;
            while (!waiting.IsCompleted)
            {
                await Task.WhenAny(waiting, Task.Delay(Poll, CancellationToken.None)).ConfigureAwait(false);
                if (waiting.IsCompleted) break;
                if (DateTime.UtcNow >= deadline || cancellation.IsCancellationRequested)
                {
                    canceled = cancellation.IsCancellationRequested;
                    timedOut = !canceled;
                    await KillAsync(id).ConfigureAwait(false);
                    break;
                }
            }

            var exit = await waiting.ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            return new JobProcess.Outcome((int)exit.StatusCode, timedOut, canceled);
        }
        finally
        {
            await RemoveAsync(client, id).ConfigureAwait(false);
        }
    }

    /// <summary>Removes a container, forcing it to stop; a container already gone is fine.</summary>
    internal static async Task RemoveAsync(DockerClient client, string id)
    {
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerContainerNotFoundException)
        {
        }
    }

    private async Task KillAsync(string id)
    {
        try
        {
            await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "SIGKILL" }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerApiException)
        {
            // already ended
        }
    }

    private static async Task PumpAsync(MultiplexedStream stream, Action<string> onLine)
    {
        var buffer = new byte[16 * 1024];
        var pending = new StringBuilder();
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, CancellationToken.None).ConfigureAwait(false);
            if (read.EOF) break;
            var count = decoder.GetChars(buffer, 0, read.Count, chars, 0);
            for (var i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    onLine(pending.ToString().TrimEnd('\r'));
                    pending.Clear();
                }
                else
                {
                    pending.Append(chars[i]);
                }
            }
        }

        if (pending.Length > 0) onLine(pending.ToString());
    }
}
