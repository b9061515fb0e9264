using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Dockerfiles.Model;
using Dockyard.Images;
using Dockyard.Layers;

namespace Dockyard.Builders.Native;

/// <summary>
/// Builds a <see cref="BuildPlan"/> whose stages need no container: each stage starts from its base (a registry
/// image, an OCI layout, a docker archive, <c>scratch</c> or an earlier stage), COPY/ADD become deterministic layers,
/// the other instructions change the config with history entries as BuildKit writes them, and a stage mapped to a
/// publish directory is that directory.
/// </summary>
public sealed class NativeImageBuilder(NativeBuildOptions options)
{
    /// <summary>Builds the plan's target stage from <paramref name="context"/>.</summary>
    /// <exception cref="DockyardException">A stage needs a container, or an instruction cannot be carried out (the message names the line).</exception>
    public async Task<Image> BuildAsync(BuildPlan plan, BuildContext context, CancellationToken cancellationToken = default)
    {
        if (!plan.IsNative)
            throw new DockyardException("The native builder cannot build this target: " + string.Join(" ", plan.ContainerReasons) + " Choose the auto, docker or buildah backend.") { Setting = Setting.Backend };
        var loader = new BaseImageLoader(options.Cache, options.Registry, options.LocalStore, options.BaseImagesFromLocalStore) { MachineRuntime = options.MachineRuntime };
        plan = await WithBaseConfigsAsync(plan, loader, cancellationToken);
        if (!plan.IsNative)
            throw new DockyardException("The native builder cannot build this target: " + string.Join(" ", plan.ContainerReasons) + " Choose the auto, docker or buildah backend.") { Setting = Setting.Backend };
        var scratch = Path.Combine(Path.GetTempPath(), "dockyard-native-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var run = new BuildRun(options, plan, context, scratch, loader);
            BuiltStage? last = null;
            foreach (var stage in plan.Stages)
                last = await run.BuildStageAsync(stage, cancellationToken);
            return last!.Image ?? throw new DockyardException($"Target stage '{plan.Target.Stage.DisplayName}' is a publish directory, not an image; build a stage that copies from it.");
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>
    /// The plan expanded again with the ENV and WORKDIR of the base images its native stages start from, as docker
    /// expands them at build time (<c>USER $APP_UID</c> with APP_UID from the base's ENV); the plan itself when it
    /// names none or was not made by <see cref="BuildPlanner"/>.
    /// </summary>
    private static async Task<BuildPlan> WithBaseConfigsAsync(BuildPlan plan, BaseImageLoader loader, CancellationToken cancellationToken)
    {
        if (plan.Source is null || plan.Request is null) return plan;
        var defaults = new Dictionary<string, ImageDefaults>(StringComparer.Ordinal);
        foreach (var node in plan.Stages.Where(s => s.Backend == StageBackend.Native).Select(s => s.Node))
        {
            if (node.BaseStage is not null || node.IsScratch || node.BaseImage is not { } reference || defaults.ContainsKey(reference)) continue;
            var platform = node.Platform is { Length: > 0 } p ? Platform.Parse(p) : plan.Platform;
            var config = (await LoadAtAsync(loader, reference, platform, node.Stage.From.Location, cancellationToken)).Config;
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var variable in config.Env ?? [])
            {
                var equals = variable.IndexOf('=');
                if (equals > 0) env[variable[..equals]] = variable[(equals + 1)..];
            }
            defaults[reference] = new ImageDefaults(env, config.WorkingDir is { Length: > 0 } workdir ? workdir : "/");
        }
        if (defaults.Count == 0) return plan;
        var known = plan.Request.BaseImages;
        return BuildPlanner.Plan(plan.Source, plan.Request with { BaseImages = reference => defaults.GetValueOrDefault(reference) ?? known?.Invoke(reference) });
    }

    /// <summary>
    /// Loads the image the line at <paramref name="at"/> names; an error without a place of its own (a registry's 404,
    /// a refused credential) is reported at that line, with its code, so every front shows it as FILE(LINE,COL).
    /// </summary>
    private static async Task<Image> LoadAtAsync(BaseImageLoader loader, string reference, Platform platform, SourceLocation at, CancellationToken cancellationToken)
    {
        var where = at.ToString();
        try
        {
            return await loader.LoadAsync(reference, platform, where, cancellationToken);
        }
        catch (DockyardException e) when (e is not SourceException and not Processes.ExecutableNotFoundException)
        {
            var problem = e.Message.StartsWith(where + ": ", StringComparison.Ordinal) ? e.Message[(where.Length + 2)..] : e.Message;
            throw new SourceException(at, problem, innerException: e) { Code = e.Code, Subject = e.Subject, Setting = e.Setting };
        }
    }

    /// <summary>A built stage: its image (null for a publish directory) and its filesystem.</summary>
    /// <param name="Image">The stage's image, null for a publish directory.</param>
    /// <param name="Tree">The stage's filesystem.</param>
    /// <param name="Dependencies">For a publish directory: the contents of the files that <see cref="PublishLayering"/>
    /// puts in the dependencies layer (NuGet packages, runtime pack), so a COPY from it becomes two layers.</param>
    private sealed record BuiltStage(Image? Image, FileTree Tree, IReadOnlySet<LayerContent>? Dependencies = null)
    {
        /// <summary>The manifest digest of the image at the root of this stage's FROM chain (null for scratch).</summary>
        public Digest? BaseDigest { get; init; }
    }

    private sealed class BuildRun(NativeBuildOptions options, BuildPlan plan, BuildContext context, string scratch, BaseImageLoader loader)
    {
        private readonly Dictionary<int, BuiltStage> _stages = [];
        private readonly HashSet<ImageBuilder> _cmdSet = [];
        private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
        private readonly BaseImageLoader _loader = loader;
        private readonly DateTimeOffset _timestamp = options.Timestamp ?? ReproducibleTimestamp.Default;
        private FileTree? _context;

        private FileTree ContextTree => _context ??= FileTree.FromContext(context);

        public async Task<BuiltStage> BuildStageAsync(PlannedStage stage, CancellationToken cancellationToken)
        {
            BuiltStage built;
            if (stage.Backend == StageBackend.PublishDirectory)
            {
                var mapping = stage.Publish!;
                var tree = FileTree.FromDirectory(mapping.Output!.Directory, mapping.OutputPath);
                built = new BuiltStage(null, tree, DependencyContents(mapping.Output.Directory, mapping.OutputPath, tree));
            }
            else
            {
                built = await BuildImageStageAsync(stage, cancellationToken);
            }
            _stages[stage.Node.Stage.Index] = built;
            return built;
        }

        private async Task<BuiltStage> BuildImageStageAsync(PlannedStage stage, CancellationToken cancellationToken)
        {
            var node = stage.Node;
            var from = node.Stage.From;
            var platform = node.Platform is { Length: > 0 } p ? Platform.Parse(p) : plan.Platform;
            ImageBuilder image;
            FileTree tree;
            Digest? baseDigest = null;
            if (node.BaseStage is { } baseIndex)
            {
                var parent = _stages[baseIndex];
                if (parent.Image is null) throw new SourceException(from.Location, $"FROM {from.Image}: that stage is a publish directory, not an image.", "Copy from it with COPY --from instead.");
                image = new ImageBuilder(parent.Image.Named(from.Image), options.Format, _timestamp);
                tree = parent.Tree.Clone();
                baseDigest = parent.BaseDigest;
            }
            else if (node.IsScratch)
            {
                image = new ImageBuilder(platform, options.Format, _timestamp);
                tree = FileTree.Empty();
            }
            else
            {
                var source = await LoadAsync(node.BaseImage!, platform, from.Location, cancellationToken);
                image = new ImageBuilder(source, options.Format, _timestamp);
                tree = FileTree.FromLayers(source.Layers, scratch);
                baseDigest = source.ManifestDigest;
            }
            // A new stage does not inherit the base's ONBUILD triggers' execution here; the triggers stay in the config as docker keeps them.
            foreach (var step in stage.Steps)
                await ApplyAsync(step, image, tree, cancellationToken);
            // Labels given with the build (as docker build --label): on the target's config, without a history entry.
            if (node == plan.Target)
            {
                foreach (var (name, value) in options.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)) image.Config.SetLabel(name, value);
                // The SDK's org.opencontainers.image.base.digest: the base's manifest digest as it was resolved for this build.
                if (options.BaseDigestLabel && baseDigest is { } digest && !options.Labels.ContainsKey(NativeBuildOptions.BaseDigestLabelName))
                    image.Config.SetLabel(NativeBuildOptions.BaseDigestLabelName, digest.ToString());
            }
            return new BuiltStage(image.Build(), tree) { BaseDigest = baseDigest };
        }

        private async Task ApplyAsync(PlannedStep planned, ImageBuilder image, FileTree tree, CancellationToken cancellationToken)
        {
            var step = planned.Step;
            var where = step.Instruction.Location.ToString();
            var config = image.Config;
            switch (step.Instruction)
            {
                case RunInstruction when planned.Action == StepAction.CopyPublishDirectory:
                {
                    var mapping = planned.Publish!;
                    var published = FileTree.FromDirectory(mapping.Output!.Directory, ContainerPath.Combine(step.Workdir, mapping.OutputPath));
                    AddLayer(image, tree, published.All.ToList(), "RUN /bin/sh -c " + step.Instruction.OneLineText["RUN ".Length..].Trim() + " # buildkit");
                    break;
                }
                case RunInstruction:
                    throw new SourceException(step.Instruction.Location, "RUN needs a container; the native builder cannot run it.", planned.Reason ?? "Choose the docker or buildah backend.") { Setting = Setting.Backend };
                case CopyInstruction copy:
                {
                    var ownership = CopyOwnership.Parse(copy.Chown, copy.Chmod, where, tree);
                    var (source, dependencies) = copy.From is null ? (ContextTree, null) : await CopySourceAsync(copy.From, step.Instruction.Location, cancellationToken);
                    var keepOwners = copy.From is not null;
                    var entries = copy.Heredocs.Count > 0
                        ? HeredocEntries(copy, step, ownership, tree)
                        : CopyResolver.Resolve(source, copy.Sources, copy.Destination, step.Workdir, ownership, keepOwners, tree, where, excludes: copy.Excludes);
                    var createdBy = BuildKitHistory.Copy(copy.Sources, copy.Destination, copy.Chown, copy.Chmod);
                    var dependencyFiles = dependencies is null ? [] : entries.Where(e => e.Content is { } c && dependencies.Contains(c)).ToList();
                    if (dependencyFiles.Count == 0 || dependencyFiles.Count == entries.Count(e => e.Type == LayerEntryType.File))
                    {
                        AddLayer(image, tree, entries, createdBy);
                    }
                    else
                    {
                        // Jib-style split of publish output: dependencies below (they rarely change), the app's own files on top,
                        // so a code change re-pushes only the small layer. Both layers carry the directories; the files differ.
                        var directories = entries.Where(e => e.Type == LayerEntryType.Directory).ToList();
                        AddLayer(image, tree, [.. directories, .. dependencyFiles], createdBy, PublishLayering.DependenciesComment);
                        AddLayer(image, tree, [.. directories, .. entries.Where(e => e.Type != LayerEntryType.Directory).Except(dependencyFiles)], createdBy, PublishLayering.AppComment);
                    }
                    break;
                }
                case AddInstruction add:
                {
                    if (add.Sources.FirstOrDefault(AddInstruction.IsRemote) is { } remote)
                        throw new SourceException(add.Location, $"ADD {remote}: the native builder adds only local files.", "Download it in an earlier step or use a container backend.");
                    var ownership = CopyOwnership.Parse(add.Chown, add.Chmod, where, tree);
                    var entries = add.Heredocs.Count > 0
                        ? HeredocEntries(add, step, ownership, tree)
                        : CopyResolver.Resolve(ContextTree, add.Sources, add.Destination, step.Workdir, ownership, false, tree, where,
                            add.Unpack == false ? null : entry => TarArchive.TryRead(entry, scratch, where), add.Excludes);
                    AddLayer(image, tree, entries, BuildKitHistory.Copy(add.Sources, add.Destination, add.Chown, add.Chmod, isAdd: true));
                    break;
                }
                case WorkdirInstruction:
                {
                    // Like the destination of a COPY, the directory is reached through the stage's symlinks.
                    var path = tree.Canonical(step.Workdir.Trim('/')) ?? step.Workdir.Trim('/');
                    if (path.Length > 0 && tree.Get(path) is null)
                        AddLayer(image, tree, WorkdirEntries(tree, path), BuildKitHistory.Workdir(step.Workdir));
                    else
                        image.AddHistory(BuildKitHistory.Workdir(step.Workdir));
                    config.WorkingDir = step.Workdir;
                    break;
                }
                case EnvInstruction env:
                    config.SetEnv(env.Variables.Select(v => KeyValuePair.Create(v.Key, v.Value)));
                    image.AddHistory(BuildKitHistory.Env(env.Variables.Select(v => KeyValuePair.Create(v.Key, v.Value))));
                    break;
                case ArgInstruction arg:
                    image.AddHistory(BuildKitHistory.Arg(arg.Arguments.Select(a => KeyValuePair.Create(a.Name, a.DefaultValue))));
                    break;
                case LabelInstruction label:
                    foreach (var item in label.Labels) config.SetLabel(item.Key, item.Value);
                    image.AddHistory(BuildKitHistory.Label(label.Labels.Select(v => KeyValuePair.Create(v.Key, v.Value))));
                    break;
                case ExposeInstruction expose:
                {
                    var ports = expose.Ports.Select(port => port.Contains('/') ? port.ToLowerInvariant() : port + "/tcp").ToList();
                    foreach (var port in ports) config.AddExposedPort(port);
                    image.AddHistory(BuildKitHistory.Expose(ports));
                    break;
                }
                case UserInstruction user:
                    config.User = user.User;
                    image.AddHistory(BuildKitHistory.User(user.User));
                    break;
                case VolumeInstruction volume:
                    foreach (var path in volume.Paths) config.AddVolume(path);
                    image.AddHistory(BuildKitHistory.Volume(volume.Paths));
                    break;
                case StopSignalInstruction signal:
                    config.StopSignal = signal.Signal;
                    image.AddHistory(BuildKitHistory.StopSignal(signal.Signal));
                    break;
                case ShellInstruction shell:
                    config.Shell = shell.Shell;
                    image.AddHistory(BuildKitHistory.Shell(shell.Shell));
                    break;
                case EntrypointInstruction entrypoint:
                {
                    var args = CommandArguments(entrypoint.Command, config);
                    config.Entrypoint = args;
                    // Like docker: a new ENTRYPOINT resets a CMD inherited from the base image.
                    if (!_cmdSet.Contains(image)) config.Cmd = null;
                    image.AddHistory(BuildKitHistory.Entrypoint(args));
                    break;
                }
                case CmdInstruction cmd:
                {
                    var args = CommandArguments(cmd.Command, config);
                    config.Cmd = args;
                    _cmdSet.Add(image);
                    image.AddHistory(BuildKitHistory.Cmd(args));
                    break;
                }
                case HealthcheckInstruction health:
                    config.Healthcheck = HealthcheckConfig.ToJson(health, config);
                    image.AddHistory(HealthcheckConfig.History(health, config));
                    break;
                case OnbuildInstruction onbuild:
                    config.OnBuild = [.. config.OnBuild ?? [], onbuild.TriggerText];
                    image.AddHistory("ONBUILD " + onbuild.TriggerText);
                    break;
                case MaintainerInstruction maintainer:
                    config.Author = maintainer.Name;
                    image.AddHistory(BuildKitHistory.Maintainer(maintainer.Name));
                    break;
                default:
                    throw new SourceException(step.Instruction.Location, $"{step.Instruction.Keyword} is not supported by the native builder.", "Use a container backend.");
            }
        }

        private static List<string> CommandArguments(CommandForm command, ImageConfig config) =>
            command.IsExecForm ? [.. command.Arguments] : [.. config.Shell ?? ["/bin/sh", "-c"], .. command.Arguments];

        private async Task<(FileTree Tree, IReadOnlySet<LayerContent>? Dependencies)> CopySourceAsync(string from, SourceLocation where, CancellationToken cancellationToken)
        {
            var byName = plan.Stages.FirstOrDefault(s => string.Equals(s.Node.Stage.Name, from, StringComparison.OrdinalIgnoreCase) || s.Node.Stage.DisplayName == from);
            if (byName is not null && _stages.TryGetValue(byName.Node.Stage.Index, out var stage)) return (stage.Tree, stage.Dependencies);
            var image = await LoadAsync(from, plan.Platform, where, cancellationToken);
            return (FileTree.FromLayers(image.Layers, scratch), null);
        }

        private async Task<Image> LoadAsync(string reference, Platform platform, SourceLocation where, CancellationToken cancellationToken)
        {
            var image = await LoadAtAsync(_loader, reference, platform, where, cancellationToken);
            if (image.PulledFrom is { } line && _reported.Add(line)) options.Log?.Report($"{where}: {line}");
            return image;
        }

        /// <summary>The contents of the publish directory's files that belong in the dependencies layer.</summary>
        private IReadOnlySet<LayerContent>? DependencyContents(string directory, string at, FileTree tree)
        {
            if (options.PublishLayering.SingleLayer) return null;
            var prefix = at.Trim('/').Length == 0 ? "" : LayerPath.Normalize(at) + "/";
            var contents = new HashSet<LayerContent>(PublishLayering.Plan(directory, options.PublishLayering)
                .Where(layer => layer.Name != "app")
                .SelectMany(layer => layer.Files)
                .Select(file => tree.Get(prefix + file)?.Content)
                .OfType<LayerContent>(), ReferenceEqualityComparer.Instance);
            return contents.Count == 0 ? null : contents;
        }

        private static List<LayerEntry> HeredocEntries(FileTransferInstruction instruction, ResolvedStep step, CopyOwnership ownership, FileTree tree)
        {
            var written = ContainerPath.Combine(step.Workdir, instruction.Destination).Trim('/');
            var destination = tree.Canonical(written) ?? written;
            var entries = new List<LayerEntry>();
            foreach (var source in instruction.Sources)
            {
                var heredoc = instruction.HeredocFor(source)
                    ?? throw new SourceException(instruction.Location, $"{instruction.Keyword}: mixing here-documents and files is not supported by the native builder.", "Use separate instructions.");
                var path = instruction.Destination.EndsWith('/') || instruction.Sources.Count > 1 ? destination + "/" + heredoc.Name : destination;
                var bytes = System.Text.Encoding.UTF8.GetBytes(heredoc.Content);
                entries.Add(new LayerEntry { Path = path, Type = LayerEntryType.File, Mode = ownership.Mode ?? LayerBuilder.FileMode, Uid = ownership.Uid ?? 0, Gid = ownership.Gid ?? 0, Content = LayerContent.FromBytes(bytes) });
            }
            return entries;
        }

        /// <summary>The directory WORKDIR creates and its parents: existing ones as they are, new ones root-owned, mode 0755.</summary>
        private static List<LayerEntry> WorkdirEntries(FileTree tree, string path)
        {
            var entries = new List<LayerEntry>();
            for (var directory = path; directory is not null; directory = LayerPath.Parent(directory))
                entries.Insert(0, tree.Get(directory) is { Type: LayerEntryType.Directory } existing ? existing
                    : new LayerEntry { Path = directory, Type = LayerEntryType.Directory, Mode = LayerBuilder.DirectoryMode });
            return entries;
        }

        private void AddLayer(ImageBuilder image, FileTree tree, IReadOnlyList<LayerEntry> entries, string createdBy, string comment = ImageBuilder.BuildKitComment)
        {
            var builder = new LayerBuilder(_timestamp);
            foreach (var entry in entries) builder.Add(entry);
            var layer = builder.Build(options.Cache, options.Compression, options.RemoteLayers);
            image.AddLayer(layer, options.Cache, createdBy, comment);
            tree.Apply(entries);
        }
    }
}
