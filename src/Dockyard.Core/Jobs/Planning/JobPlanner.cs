using Dockyard.Builders;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Daemon;
using Dockyard.Jobs.ContainerCommands;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Variables;
using Dockyard.Processes;
using Dockyard.Registries.References;
using Dockyard.UseCases;
using Dockyard.UseCases.Build;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Jobs.Planning;

/// <summary>
/// <c>dockyard ci plan JOB</c>: without running anything, each script line of a job after variable expansion and what
/// each of its commands becomes (a native image operation with the Dockerfile's stage plan, a credential, the real
/// tool, a line the job fails at, or a shell command), the variables each line uses and the credential each registry
/// gets (names and sources, never values). Shell logic is not evaluated: every branch is planned.
/// </summary>
public static class JobPlanner
{
    /// <summary>Plans job <paramref name="job"/> of the pipeline that <paramref name="options"/> names.</summary>
    public static async Task<JobPlan> PlanAsync(HostContext host, JobRunOptions options, string job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        var loaded = PlanningPipeline.Load(host, options);
        var planned = RunPlanner.Plan(loaded.Pipeline, new RunSelection { Jobs = [job] }).Last(p => p.Job.Name == job || p.Job.BaseName == job);
        var environment = loaded.Environment(planned.Job);
        foreach (var value in environment.MaskedValues) host.Masker.Add(value);
        var localRegistry = loaded.IsLocalRegistry(environment.Variables) ? environment.Variables.GetValueOrDefault("CI_REGISTRY") : null;
        var jobHost = host.WithWorkingDirectory(loaded.ProjectDirectory).WithVariables(Merged(host.Variables, environment.Variables));

        var state = new PlanState(jobHost, localRegistry);
        var lines = new List<PlannedScriptLine>();
        foreach (var line in PlanningPipeline.Lines(planned.Job, environment.Variables))
        {
            var plannedCommands = new List<PlannedCommand>();
            state.LineLogins.Clear();
            foreach (var command in line.Commands)
                plannedCommands.Add(await PlanCommandAsync(state, command, $"{line.Section} line {line.Number}", cancellationToken).ConfigureAwait(false));
            lines.Add(new PlannedScriptLine(line.Section, line.Number, line.Text, HideLoginSecrets(state, plannedCommands, line.Variables, environment.Variables), line.Variables));
        }
        return new JobPlan(planned.Job.Name, lines, await CredentialsAsync(state, cancellationToken).ConfigureAwait(false));
    }

    private sealed class PlanState(HostContext host, string? localRegistry)
    {
        public HostContext Host { get; } = host;
        public string? LocalRegistry { get; } = localRegistry;
        public Dictionary<string, string> Logins { get; } = new(StringComparer.Ordinal);
        public List<(string Registry, RegistryAccess Access)> Needed { get; } = [];
        public List<LoginCommand> LineLogins { get; } = [];

        public void Need(string registry, RegistryAccess access)
        {
            var known = Needed.FindIndex(n => n.Registry == registry);
            if (known < 0) Needed.Add((registry, access));
            else if (access == RegistryAccess.Push) Needed[known] = (registry, access);
        }
    }

    private static async Task<PlannedCommand> PlanCommandAsync(PlanState state, ScriptCommand command, string where, CancellationToken cancellationToken)
    {
        var words = command.Words;
        var tool = Path.GetFileName(words[0]);
        var shown = state.Host.Masker.Mask(Shown(words));
        var dynamic = command.Dynamic ? " (part of it is computed when the line runs)" : "";
        if (PlanningPipeline.ContainerTool(command) is not { } containerTool)
            return new PlannedCommand(PlannedCommandKind.Shell, shown, "runs in bash" + dynamic, []);
        ContainerCommand parsed;
        try
        {
            parsed = ContainerCommandParser.Parse(containerTool, words.Skip(1).ToList());
        }
        catch (DockyardException error)
        {
            return new PlannedCommand(PlannedCommandKind.Fails, shown, $"the job fails here: {error.Message}", []);
        }

        switch (parsed)
        {
            case LoginCommand login:
                state.Logins.TryAdd(login.Registry, where);
                state.LineLogins.Add(login);
                return new PlannedCommand(PlannedCommandKind.Credential, shown,
                    $"a credential for {RegistryShown(state, login.Registry)}{(login.Username is { } user ? $" as {user}" : "")}, password from {(login.PasswordFromStdin ? "standard input" : "the command line")}; kept for this job only" + dynamic, [login.Registry]);
            case LogoutCommand logout:
                state.Logins.Remove(logout.Registry);
                return new PlannedCommand(PlannedCommandKind.Credential, shown, $"forgets the job's credential for {RegistryShown(state, logout.Registry)}", []);
            case KanikoCommand kaniko:
                return await PlanBuildAsync(state, kaniko.Build, push: !kaniko.NoPush, shown, dynamic, cancellationToken).ConfigureAwait(false);
            case BuildCommand build:
                return await PlanBuildAsync(state, build, build.Push, shown, dynamic, cancellationToken).ConfigureAwait(false);
            case TagCommand tag:
                return new PlannedCommand(PlannedCommandKind.NativeImage, shown, $"tags {tag.Source} as {tag.Target} in the job's image store" + dynamic, []);
            case PushCommand push:
                var pushTo = Registry(push.Reference);
                if (pushTo is not null) state.Need(pushTo, RegistryAccess.Push);
                return new PlannedCommand(PlannedCommandKind.NativeImage, shown,
                    $"pushes {push.Reference}{(push.AllTags ? " (every tag)" : "")} from the job's image store to {RegistryShown(state, pushTo)}" + dynamic, pushTo is null ? [] : [pushTo]);
            case PullCommand pull:
                var pullFrom = Registry(pull.Reference);
                if (pullFrom is not null) state.Need(pullFrom, RegistryAccess.Pull);
                return new PlannedCommand(PlannedCommandKind.NativeImage, shown, $"pulls {pull.Reference} into the job's image store" + dynamic, pullFrom is null ? [] : [pullFrom]);
            case ImagesCommand:
                return new PlannedCommand(PlannedCommandKind.NativeImage, shown, "lists the job's image store" + dynamic, []);
            case InspectCommand:
                return new PlannedCommand(PlannedCommandKind.NativeImage, shown, "inspects images of the job's image store" + dynamic, []);
            default:
                return await RealToolAsync(state, tool, shown, "a container engine to run it", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<PlannedCommand> PlanBuildAsync(PlanState state, BuildCommand build, bool push, string shown, string dynamic, CancellationToken cancellationToken)
    {
        Builders.Planning.BuildPlan plan;
        try
        {
            var request = ContainerCommands.Handlers.BuildHandler.RequestOf(build) with
            {
                Destination = push ? ImageDestination.Push : ImageDestination.LocalStore,
                PlanOnly = true,
            };
            plan = (await ImageBuild.RunAsync(state.Host.WithOutput(NullLogger.Instance, null), request, cancellationToken).ConfigureAwait(false)).Plan;
        }
        catch (DockyardException error)
        {
            return new PlannedCommand(PlannedCommandKind.Fails, shown, $"the job fails here: {error.Message}", []);
        }
        var registries = new List<string>();
        foreach (var image in plan.PulledImages)
            if (Registry(image) is { } from)
            {
                state.Need(from, RegistryAccess.Pull);
                registries.Add(from);
            }
        if (push)
            foreach (var tag in build.Tags)
                if (Registry(tag) is { } to)
                {
                    state.Need(to, RegistryAccess.Push);
                    registries.Add(to);
                }
        var where = push ? $"pushed as {string.Join(", ", build.Tags)}" : $"into the job's image store as {string.Join(", ", build.Tags)}";
        var rendered = Builders.Planning.BuildPlanTextRenderer.Render(plan);
        if (!plan.IsNative)
        {
            var tool = await RealToolAsync(state, build.Tool == KanikoPaths.Tool ? "docker" : build.Tool, shown, ContainerCommands.Handlers.BuildHandler.ContainerReasons(plan), cancellationToken).ConfigureAwait(false);
            return tool with { BuildPlan = rendered, Registries = registries.Distinct().ToList() };
        }
        return new PlannedCommand(PlannedCommandKind.NativeImage, shown, $"builds {plan.DockerfileName} natively, {where}" + dynamic, registries.Distinct().ToList())
        {
            BuildPlan = rendered,
        };
    }

    private static async Task<PlannedCommand> RealToolAsync(PlanState state, string tool, string shown, string needs, CancellationToken cancellationToken)
    {
        var executable = ExecutableLookup.Find(tool, state.Host.Get("PATH") ?? "");
        if (executable is null)
            return new PlannedCommand(PlannedCommandKind.Fails, shown, $"the job fails here: it needs {needs}, and there is no {tool} program on the PATH; run the job with the docker executor or install {tool}", []);
        if (tool == "docker")
        {
            await using var engine = DockerEngine.ForHost(state.Host);
            if (await engine.TryPingAsync(cancellationToken).ConfigureAwait(false) is null)
                return new PlannedCommand(PlannedCommandKind.Fails, shown, $"the job fails here: it needs {needs}, and no Docker daemon answers at {engine.Endpoint}; start one or set DOCKER_HOST", []);
        }
        return new PlannedCommand(PlannedCommandKind.RealTool, shown, $"handed to {executable} (it needs {needs})", []);
    }

    private static async Task<IReadOnlyList<PlannedCredential>> CredentialsAsync(PlanState state, CancellationToken cancellationToken)
    {
        var result = new List<PlannedCredential>();
        foreach (var (registry, access) in state.Needed)
        {
            if (result.Any(r => r.Registry == registry)) continue;
            if (registry == state.LocalRegistry)
                result.Add(new PlannedCredential(registry, "none: in a local run $CI_REGISTRY is the local image store"));
            else if (state.Logins.TryGetValue(registry, out var line))
                result.Add(new PlannedCredential(registry, $"the job's own login ({line})"));
            else
            {
                try
                {
                    var explained = await CredentialExplain.RunAsync(state.Host, new CredentialExplainRequest { Registry = registry, Access = access }, cancellationToken).ConfigureAwait(false);
                    result.Add(new PlannedCredential(registry, explained.Credential is { } found
                        ? $"{found.Source}{(found.Username is { } user ? $" (user {user})" : "")}"
                        : explained.Error is { } error ? $"none: {error}" : "none found: anonymous"));
                }
                catch (DockyardException error)
                {
                    result.Add(new PlannedCredential(registry, $"none: {error.Message}"));
                }
            }
        }
        return result;
    }

    // On a line that logs in, every variable the line uses is a secret unless it is the login's registry or user name
    // (echo "$PASSWORD" | docker login --password-stdin): the plan shows such values masked.
    private static List<PlannedCommand> HideLoginSecrets(PlanState state, List<PlannedCommand> commands, IEnumerable<string> referenced,
        IReadOnlyDictionary<string, string> variables)
    {
        if (state.LineLogins.Count == 0) return commands;
        var visible = state.LineLogins.SelectMany(l => new[] { l.Registry, l.Username }).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var masker = new SecretMasker();
        foreach (var name in referenced)
            if (variables.GetValueOrDefault(name) is { Length: > 0 } value && !visible.Contains(value)) masker.Add(value);
        return commands.Select(c => c with { Command = masker.Mask(c.Command) }).ToList();
    }

    private static string? Registry(string reference)
    {
        try
        {
            return ImageReference.Parse(reference).Registry;
        }
        catch (DockyardException)
        {
            return null;
        }
    }

    private static string RegistryShown(PlanState state, string? registry) =>
        registry is null ? "its registry" : registry == state.LocalRegistry ? $"{registry} (the local image store)" : registry;

    // The password of a login line is never shown, whatever variable it came from.
    private static string Shown(IReadOnlyList<string> words)
    {
        var shown = new List<string>(words.Count);
        for (int i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (i > 0 && words[i - 1] is "-p" or "--password") { shown.Add(SecretMasker.Replacement); continue; }
            if (word.StartsWith("--password=", StringComparison.Ordinal)) { shown.Add("--password=" + SecretMasker.Replacement); continue; }
            shown.Add(word.Length == 0 || word.Any(c => c is ' ' or '\t' or '"' or '\'') ? $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'" : word);
        }
        return string.Join(" ", shown);
    }

    private static Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> host, IReadOnlyDictionary<string, string> job)
    {
        var merged = new Dictionary<string, string>(host, StringComparer.Ordinal);
        foreach (var (name, value) in job) merged[name] = value;
        return merged;
    }
}
