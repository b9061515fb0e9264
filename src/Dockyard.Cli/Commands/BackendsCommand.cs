using System.CommandLine;
using Dockyard.Builders;
using Dockyard.Builders.Buildah;
using Dockyard.Builders.Docker;
using Dockyard.Credentials;

using Dockyard.Cli.Hosting;

namespace Dockyard.Cli.Commands;

/// <summary>The <c>dockyard backends</c> command: which container backends can build on this machine, and what is missing.</summary>
public static class BackendsCommand
{
    /// <summary>Creates the <c>backends</c> command writing to the given output writers.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(new CliContext(stdout, stderr, interactive: false));

    /// <summary>Creates the <c>backends</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var (stdout, stderr) = (cli.Stdout, cli.Stderr);
        var dockerHost = new Option<string?>("--docker-host") { Description = "The Docker daemon to check (replaces $DOCKER_HOST)." };
        var docker = new Option<string>("--docker") { Description = "The docker CLI (default: docker on PATH).", DefaultValueFactory = _ => "docker" };
        var buildah = new Option<string>("--buildah") { Description = "The buildah program (default: buildah on PATH).", DefaultValueFactory = _ => "buildah" };
        var command = new Command("backends", "Check the container backends (docker daemon, buildah) that build what the native builder cannot; exits 1 when none can.");
        command.Options.Add(dockerHost);
        command.Options.Add(docker);
        command.Options.Add(buildah);
        command.SetAction((parse, cancellationToken) => cli.RunAsync(async () =>
        {
            var environment = cli.Host().Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
            if (parse.GetValue(dockerHost) is { } host) environment["DOCKER_HOST"] = host;
            var none = new ExplicitCredentialProvider();
            IImageBuildBackend[] backends =
            [
                new DockerCliBackend(none, new DockerCliOptions { Executable = parse.GetValue(docker)!, Environment = environment }),
                new BuildahBackend(none, new BuildahOptions { Executable = parse.GetValue(buildah)!, Environment = environment }),
            ];
            var available = 0;
            foreach (var backend in backends)
            {
                var availability = await backend.ProbeAsync(cancellationToken);
                var name = backend.Kind.ToString().ToLowerInvariant();
                if (availability.IsAvailable)
                {
                    available++;
                    await stdout.WriteLineAsync($"{name}: available ({availability.Detail})");
                }
                else
                {
                    await stdout.WriteLineAsync($"{name}: missing ({availability.Detail.Replace("\n", "\n    ", StringComparison.Ordinal)})\n  to fix: {availability.Remedy}");
                }
            }
            if (available == 0) await stderr.WriteLineAsync("No container backend can build here: only Dockerfiles without RUN steps (the native builder) can be built.");
            return available == 0 ? 1 : 0;
        }));
        return command;
    }
}
