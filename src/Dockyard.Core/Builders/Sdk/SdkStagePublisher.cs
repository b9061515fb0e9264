using Dockyard.Builders.Native;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Dockerfiles.Model;
using Dockyard.Hosting;
using Dockyard.Layers;
using Dockyard.Processes;

namespace Dockyard.Builders.Sdk;

/// <summary>
/// Carries out a Dockerfile stage's <c>RUN dotnet publish -o DIR</c> with this machine's .NET SDK: lays the build
/// context out as the stage's COPY lines do (respecting .dockerignore and WORKDIR) in a private directory, runs the
/// publish there into a private output directory, and returns that output as a <see cref="PublishedOutput"/> the
/// planner maps the stage to (so the rest is built natively).
/// </summary>
internal static class SdkStagePublisher
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(30);

    /// <summary>The machine's SDK: the <c>dotnet</c> on the host's PATH and its version, or null when there is none (or only a runtime).</summary>
    public static async Task<MachineSdk?> FindAsync(HostContext host, CancellationToken cancellationToken)
    {
        var path = host.Get("PATH") ?? "";
        if (ExecutableLookup.Find("dotnet", path) is not { } dotnet) return null;
        var result = await ProcessRunner.RunAsync(new ProcessRequest(dotnet, ["--version"])
        {
            InheritEnvironment = false, Environment = Environment(host), Timeout = TimeSpan.FromMinutes(2), StreamStandardOutput = false,
        }, cancellationToken);
        var version = result.StandardOutput.Text.Trim();
        return result.Succeeded && version.Length > 0 && char.IsDigit(version[0]) ? new MachineSdk(dotnet, version) : null;
    }

    /// <summary>
    /// The outputs this machine's SDK makes for every replaceable stage of <paramref name="plan"/>; published into
    /// <paramref name="workspace"/>, or (when it is null, planning only) described without running anything.
    /// </summary>
    public static async Task<IReadOnlyList<PublishedOutput>> PublishAsync(HostContext host, MachineSdk sdk, BuildPlan plan, string contextDirectory,
        string dockerfilePath, PrivateDirectory? workspace, CancellationToken cancellationToken)
    {
        var outputs = new List<PublishedOutput>();
        BuildContext? context = null;
        FileTree? contextTree = null;
        foreach (var candidate in BuildPlanner.Replaceable(plan))
        {
            var copies = candidate.Stage.Steps.Where(s => s.Instruction is CopyInstruction or AddInstruction).ToList();
            // Only the context's own files can be laid out without building other stages or pulling images.
            if (copies.Any(s => s.Instruction is not CopyInstruction { From: null, Heredocs.Count: 0 })) continue;
            var command = candidate.Analysis.Command!;
            var number = outputs.Count;
            var outputDirectory = workspace is null ? $"(private directory {number})" : Path.Combine(workspace.Path, $"out{number}");
            var project = ProjectName(command, candidate.Analysis.WorkingDirectory);
            if (workspace is not null)
            {
                context ??= BuildContext.Open(contextDirectory, dockerfilePath);
                contextTree ??= FileTree.FromContext(context);
                var root = Path.Combine(workspace.Path, $"src{number}");
                LayOut(contextTree, copies, root);
                await RunPublishAsync(host, sdk, candidate, root, outputDirectory, cancellationToken);
            }
            outputs.Add(new PublishedOutput(outputDirectory, project, command.EffectiveConfiguration, command.Runtime, command.SelfContained,
                command.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.OrdinalIgnoreCase))
            {
                SdkVersion = sdk.Version, SdkNote = VersionNote(candidate.Node.BaseImage, sdk.Version),
            });
        }
        return outputs;
    }

    /// <summary>A note when the stage's base image tag (e.g. <c>sdk:8.0</c>) names another SDK version than the machine's.</summary>
    internal static string? VersionNote(string? baseImage, string machineVersion)
    {
        if (baseImage is null) return null;
        var name = baseImage.Split('@')[0];
        var colon = name.LastIndexOf(':');
        if (colon < 0 || colon < name.LastIndexOf('/')) return null;
        var tag = name[(colon + 1)..];
        var tagVersion = string.Join('.', tag.Split('-')[0].Split('.').Take(2));
        var machine = string.Join('.', machineVersion.Split('.').Take(2));
        if (tagVersion.Length == 0 || !char.IsDigit(tagVersion[0]) || tagVersion == machine || machine.StartsWith(tagVersion + ".", StringComparison.Ordinal)) return null;
        return $"the stage's base image {baseImage} has SDK {tagVersion}, but this machine's SDK is {machineVersion} (the app is published with {machineVersion}; " +
            $"install SDK {tagVersion}, or change the tag, for the same toolchain)";
    }

    private static string ProjectName(DotnetCommand command, string workingDirectory) =>
        command.Project is { } project ? project.TrimEnd('/').Split('/')[^1] : workingDirectory.TrimEnd('/').Split('/')[^1] + ".csproj";

    /// <summary>Writes the files the stage's COPY lines put into its filesystem below <paramref name="root"/>.</summary>
    private static void LayOut(FileTree contextTree, IReadOnlyList<ResolvedStep> copies, string root)
    {
        var tree = FileTree.Empty();
        foreach (var step in copies)
        {
            var copy = (CopyInstruction)step.Instruction;
            var where = step.Instruction.Location.ToString();
            tree.Apply(CopyResolver.Resolve(contextTree, copy.Sources, copy.Destination, step.Workdir, new CopyOwnership(null, null, null), false, tree, where, excludes: copy.Excludes));
        }
        Directory.CreateDirectory(root);
        foreach (var entry in tree.All.Where(e => !e.IsWhiteout).OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            var path = Path.Combine(root, entry.Path);
            switch (entry.Type)
            {
                case LayerEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case LayerEntryType.Symlink:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.CreateSymbolicLink(path, entry.LinkTarget!);
                    break;
                case LayerEntryType.File when entry.Content is { } content:
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using (var source = content.OpenRead())
                    using (var target = File.Create(path))
                        source.CopyTo(target);
                    break;
            }
        }
    }

    private static async Task RunPublishAsync(HostContext host, MachineSdk sdk, ReplaceableStage candidate, string root, string output, CancellationToken cancellationToken)
    {
        var command = candidate.Analysis.Command!;
        var workingDirectory = Path.Combine(root, candidate.Analysis.WorkingDirectory.TrimStart('/'));
        Directory.CreateDirectory(workingDirectory);
        var arguments = new List<string> { "publish" };
        if (command.Project is { } project)
            arguments.Add(Path.Combine(root, ContainerPath.Combine(candidate.Analysis.WorkingDirectory, project).TrimStart('/')));
        arguments.AddRange(["-c", command.EffectiveConfiguration]);
        if (command.Runtime is { } runtime) arguments.AddRange(["-r", runtime]);
        if (command.SelfContained is { } selfContained) arguments.AddRange(["--self-contained", selfContained ? "true" : "false"]);
        if (command.Framework is { } framework) arguments.AddRange(["-f", framework]);
        arguments.AddRange(command.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"-p:{p.Key}={p.Value}"));
        arguments.AddRange(["-o", output, "--nologo"]);

        var step = candidate.Step;
        var lines = new List<string>();
        var result = await ProcessRunner.RunAsync(new ProcessRequest(sdk.Executable, arguments)
        {
            WorkingDirectory = workingDirectory, InheritEnvironment = false, Environment = Environment(host), Timeout = PublishTimeout,
            Masker = host.Masker, Logger = host.Logger, LogLevel = Microsoft.Extensions.Logging.LogLevel.Debug, OnLine = lines.Add,
        }, cancellationToken);
        if (result.Succeeded) return;
        var tail = string.Join("\n", lines.TakeLast(30).Select(host.Masker.Mask));
        throw new DockyardException($"{step.Instruction.Location}: {step.Instruction.OneLineText}: this machine's .NET SDK {sdk.Version} failed to publish the stage " +
            $"({(result.TimedOut ? "timed out" : $"exit code {result.ExitCode}")}); fix the project or the Dockerfile, or give a publish directory. dotnet said:\n{tail}")
        {
            Setting = Setting.Dockerfile,
        };
    }

    private static Dictionary<string, string?> Environment(HostContext host)
    {
        var environment = host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        // dotnet refuses to start when HOME is not a directory (a sealed-off or fresh CI home): give it one in the cache.
        if (host.Get("DOTNET_CLI_HOME") is null && (host.HomeDirectory is not { } home || !Directory.Exists(home)))
        {
            var cliHome = Path.Combine(host.CacheDirectory, "dotnet-cli-home");
            Directory.CreateDirectory(cliHome);
            environment["DOTNET_CLI_HOME"] = cliHome;
            // and HOME itself: with a HOME that does not exist, a dotnet publish run leaves /tmp at mode 0755 (seen with SDK 10.0.401)
            environment["HOME"] = cliHome;
            if (host.Get("NUGET_PACKAGES") is null) environment["NUGET_PACKAGES"] = Path.Combine(cliHome, ".nuget", "packages");
        }
        return environment;
    }
}

/// <summary>This machine's .NET SDK.</summary>
/// <param name="Executable">The <c>dotnet</c> found on the host's PATH.</param>
/// <param name="Version">What <c>dotnet --version</c> printed.</param>
internal sealed record MachineSdk(string Executable, string Version);
