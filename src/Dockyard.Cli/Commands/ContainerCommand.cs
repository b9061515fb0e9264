using System.CommandLine;
using Dockyard.Cli.Hosting;
using Dockyard.Hosting;
using Dockyard.Jobs.ContainerCommands;

namespace Dockyard.Cli.Commands;

/// <summary>
/// <c>dockyard container TOOL -- ARGS...</c> (hidden): what the docker/buildah/podman shims of a <c>ci run</c> shell job
/// call; maps to <see cref="ContainerCommandRunner"/> and exits with the command's code (docs/container-commands.md).
/// </summary>
public static class ContainerCommand
{
    /// <summary>Creates the hidden <c>container</c> command.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var tool = new Argument<string>("TOOL") { Description = "docker, buildah, podman or kaniko (/kaniko/executor)." };
        tool.AcceptOnlyFromAmong("docker", "buildah", "podman", "kaniko");
        var arguments = new Argument<string[]>("ARGS") { Description = "The tool's arguments (after --).", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("container", "Carry out a docker/buildah/podman line of a job run by 'dockyard ci run' (called by the job's shims).") { tool, arguments };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var host = HostContext.FromProcess(new TextWriterLogger(stderr));
            try
            {
                return ContainerCommandRunner.RunAsync(host, parse.GetValue(tool)!, parse.GetValue(arguments) ?? [], Console.In, stdout, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (Exception failure)
            {
                return ErrorReport.Write(failure, stderr, host.Masker, verbose: false);
            }
        });
        return command;
    }
}
