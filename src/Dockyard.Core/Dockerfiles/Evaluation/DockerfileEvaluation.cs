using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;
using Dockyard.Dockerfiles.Graph;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Evaluation;

/// <summary>
/// A Dockerfile evaluated for one build: global ARGs resolved with the build arguments and platform ARGs, the stage graph,
/// and each stage's instructions expanded with the ARG/ENV scope docker would use (computed on demand, once per stage).
/// </summary>
public sealed partial class DockerfileEvaluation
{
    private readonly Dictionary<int, ResolvedStage> _resolved = [];
    private readonly HashSet<string> _globalDeclared = new(StringComparer.Ordinal);
    private readonly Func<string, ImageDefaults?> _baseImages;

    private DockerfileEvaluation(Dockerfile dockerfile, BuildArguments arguments, Func<string, ImageDefaults?> baseImages)
    {
        Dockerfile = dockerfile;
        Arguments = arguments;
        _baseImages = baseImages;
        var scope = new Dictionary<string, string>(arguments.Predefined, StringComparer.Ordinal);
        foreach (var instruction in dockerfile.GlobalArgs)
        {
            foreach (var declaration in instruction.Arguments)
            {
                _globalDeclared.Add(declaration.Name);
                var value = ArgValue(declaration, instruction.Location, name => scope.GetValueOrDefault(name), inherited: null);
                if (value is not null) scope[declaration.Name] = value;
            }
        }
        GlobalArgs = scope;
        Graph = StageGraph.Build(dockerfile, scope);
    }

    /// <summary>The PATH docker sets in Linux images whose base has none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The Dockerfile.</summary>
    public Dockerfile Dockerfile { get; }

    /// <summary>The build arguments and platforms.</summary>
    public BuildArguments Arguments { get; }

    /// <summary>The global scope FROM lines see: platform ARGs and the ARGs declared before the first FROM.</summary>
    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    /// <summary>The stage graph (FROM lines expanded with <see cref="GlobalArgs"/>).</summary>
    public StageGraph Graph { get; }

    /// <summary>Evaluates <paramref name="dockerfile"/> for <paramref name="arguments"/>.</summary>
    /// <param name="dockerfile">The parsed Dockerfile.</param>
    /// <param name="arguments">Build arguments and platforms.</param>
    /// <param name="baseImages">ENV/WORKDIR of a base image by reference, when the caller knows them (null: unknown).</param>
    /// <exception cref="SourceException">A FROM line or global ARG cannot be expanded, or a stage index is wrong.</exception>
    public static DockerfileEvaluation Create(Dockerfile dockerfile, BuildArguments arguments, Func<string, ImageDefaults?>? baseImages = null) =>
        new(dockerfile, arguments, baseImages ?? (_ => null));

    /// <summary>Expands a stage (and, first, the stage it is based on).</summary>
    /// <exception cref="SourceException">An instruction cannot be expanded or is invalid after expansion.</exception>
    public ResolvedStage Resolve(StageNode node)
    {
        if (_resolved.TryGetValue(node.Stage.Index, out var done)) return done;
        ImmutableDictionary<string, string> env;
        string workdir;
        bool baseKnown;
        if (node.BaseStage is { } baseIndex)
        {
            var parent = Resolve(Graph.Nodes[baseIndex]);
            env = parent.FinalEnv;
            workdir = parent.FinalWorkdir;
            baseKnown = parent.BaseConfigKnown;
        }
        else
        {
            var known = node.BaseImage is null ? ImageDefaults.Unknown : _baseImages(node.BaseImage);
            baseKnown = known is not null;
            var defaults = known ?? ImageDefaults.Unknown;
            env = defaults.Env.ToImmutableDictionary(StringComparer.Ordinal);
            // Docker gives every Linux image a PATH when its base has none (FROM scratch included).
            if (!env.ContainsKey("PATH") && Arguments.TargetPlatform.Os == "linux") env = env.SetItem("PATH", DefaultPath);
            workdir = ContainerPath.Clean(defaults.Workdir.Length == 0 ? "/" : defaults.Workdir);
        }
        var args = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);
        var steps = new List<ResolvedStep>();
        var undefined = new List<UndefinedVariable>();
        var escape = Dockerfile.Directives.Escape;
        foreach (var instruction in node.Stage.Instructions)
        {
            var currentArgs = args;
            var currentEnv = env;
            var expander = new WordExpander(name => currentEnv.TryGetValue(name, out var e) ? e : currentArgs.GetValueOrDefault(name), escape, instruction.Location,
                name => undefined.Add(new UndefinedVariable(name, instruction.Location)));
            Instruction expanded;
            switch (instruction)
            {
                case ArgInstruction arg:
                {
                    // As in BuildKit, every default on one ARG line is expanded with the scope before the line.
                    var declarations = new List<ArgDeclaration>();
                    foreach (var declaration in arg.Arguments)
                    {
                        var value = ArgValue(declaration, arg.Location,
                            name => currentEnv.TryGetValue(name, out var e) ? e : currentArgs.GetValueOrDefault(name),
                            inherited: _globalDeclared.Contains(declaration.Name) || Arguments.Predefined.ContainsKey(declaration.Name)
                                ? GlobalArgs.GetValueOrDefault(declaration.Name) ?? Arguments.Predefined.GetValueOrDefault(declaration.Name)
                                : null);
                        if (value is not null) args = args.SetItem(declaration.Name, value);
                        declarations.Add(declaration with { DefaultValue = value });
                    }
                    expanded = arg with { Arguments = declarations };
                    break;
                }
                case EnvInstruction:
                    expanded = instruction.Expand(expander);
                    foreach (var variable in ((EnvInstruction)expanded).Variables) env = env.SetItem(variable.Key, variable.Value);
                    break;
                case WorkdirInstruction:
                    expanded = instruction.Expand(expander);
                    workdir = ContainerPath.Combine(workdir, ((WorkdirInstruction)expanded).Path);
                    break;
                case ExposeInstruction:
                    expanded = instruction.Expand(expander);
                    foreach (var port in ((ExposeInstruction)expanded).Ports.Where(p => !PortPattern().IsMatch(p)))
                        throw new SourceException(instruction.Location, $"EXPOSE: '{port}' is not a port.",
                            "Write PORT, PORT/tcp, PORT/udp, PORT/sctp or a range like 8000-8010/tcp.");
                    break;
                default:
                    expanded = instruction.Expand(expander);
                    break;
            }
            steps.Add(new ResolvedStep(expanded, args, env, workdir));
        }
        var resolved = new ResolvedStage(node.Stage, node, steps, env, workdir, baseKnown, undefined.Distinct().ToList());
        _resolved[node.Stage.Index] = resolved;
        return resolved;
    }

    /// <summary>The build arguments no ARG in these stages (or before the first FROM) declares: docker warns about them.</summary>
    public IReadOnlyList<string> UnusedBuildArgs(IEnumerable<StageNode> stages)
    {
        var declared = new HashSet<string>(_globalDeclared, StringComparer.Ordinal);
        foreach (var node in stages)
            foreach (var arg in node.Stage.Instructions.OfType<ArgInstruction>())
                declared.UnionWith(arg.Arguments.Select(a => a.Name));
        return Arguments.Values.Keys.Where(k => !declared.Contains(k) && !BuildArguments.ProxyArgs.Contains(k)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>ARG's value: the build argument, else the expanded default, else the inherited global/platform value.</summary>
    private string? ArgValue(ArgDeclaration declaration, SourceLocation location, Func<string, string?> lookup, string? inherited)
    {
        if (Arguments.Values.TryGetValue(declaration.Name, out var given)) return given;
        if (declaration.DefaultValue is not null)
            return new WordExpander(lookup, Dockerfile.Directives.Escape, location).Expand(declaration.DefaultValue);
        return inherited ?? Arguments.Predefined.GetValueOrDefault(declaration.Name);
    }

    [GeneratedRegex(@"^\d+(-\d+)?(/(tcp|udp|sctp))?$", RegexOptions.IgnoreCase)]
    private static partial Regex PortPattern();
}
