using Dockyard.Diagnostics;

namespace Dockyard.Jobs.ContainerCommands;

/// <summary>Parses a docker/buildah/podman command line (argv after the tool name) into a <see cref="ContainerCommand"/>.</summary>
internal static class ContainerCommandParser
{
    private static readonly string[] ExternalVerbs = ["run", "exec", "compose", "cp", "create", "start", "stop", "rm", "logs", "network", "volume", "info", "version", "from", "commit", "copy", "config", "mount"];

    /// <summary>The default registry of <c>docker login</c> without a server.</summary>
    public const string DockerHub = "docker.io";

    public static ContainerCommand Parse(string tool, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(argv);
        if (tool == KanikoPaths.Tool) return Kaniko(argv);
        if (tool is not ("docker" or "buildah" or "podman"))
            throw new DockyardException($"'{tool}' is not a container tool Dockyard knows (docker, buildah, podman, kaniko).");
        if (argv.Count == 0) throw new DockyardException($"{tool}: no command given.");
        var verb = argv[0];
        var rest = argv.Skip(1).ToList();
        if (tool == "docker" && verb is "buildx" or "image" or "manifest" && rest.Count > 0)
        {
            var sub = rest[0];
            var subRest = rest.Skip(1).ToList();
            return (verb, sub) switch
            {
                ("buildx", "imagetools") when subRest.FirstOrDefault() == "create" => ImagetoolsCreate(tool, subRest.Skip(1).ToList()),
                ("manifest", "create") => ManifestCreate(tool, subRest),
                ("manifest", "push") => ManifestPush(tool, subRest),
                ("manifest", _) => throw new DockyardException($"docker manifest {sub}: not carried out natively (create and push are); write the list with 'docker manifest create LIST IMAGE...' and 'docker manifest push LIST'."),
                ("image", "save") => Save(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "load") => Load(tool, $"{tool} {verb} {sub}", subRest),
                ("buildx", "build") or ("image", "build") => Build(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "ls") or ("image", "list") => Images(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "inspect") => Inspect(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "tag") => Tag(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "push") => Push(tool, $"{tool} {verb} {sub}", subRest),
                ("image", "pull") => Pull(tool, $"{tool} {verb} {sub}", subRest),
                _ => new ExternalCommand(tool, argv),
            };
        }
        var command = $"{tool} {verb}";
        return verb switch
        {
            "login" => Login(tool, command, rest),
            "logout" => Logout(tool, command, rest),
            "build" or "bud" when verb != "bud" || tool == "buildah" => Build(tool, command, rest),
            "tag" => Tag(tool, command, rest),
            "push" => Push(tool, command, rest),
            "pull" => Pull(tool, command, rest),
            "images" => Images(tool, command, rest),
            "save" when tool != "buildah" => Save(tool, command, rest),
            "load" when tool != "buildah" => Load(tool, command, rest),
            "inspect" when tool != "buildah" => Inspect(tool, command, rest),
            _ when ExternalVerbs.Contains(verb) || verb == "buildx" || verb == "image" => new ExternalCommand(tool, argv),
            _ => throw new DockyardException($"{command}: not a {tool} command Dockyard carries out natively (login, logout, build, tag, push, pull, images, image inspect, save, load, manifest create/push, buildx imagetools create); run the job with the docker executor for it."),
        };
    }

    private static LoginCommand Login(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        string? user = null, password = null;
        var stdin = false;
        while (args.NextOption(out var name, out var inline))
        {
            switch (name)
            {
                case "-u" or "--username": user = args.Value(name, inline); break;
                case "-p" or "--password": password = args.Value(name, inline); break;
                case "--password-stdin": stdin = args.Flag(name, inline); break;
                default: throw args.Unknown(name);
            }
        }
        if (args.Operands.Count > 1) throw args.Usage($"{command} [-u USER] [-p PASSWORD | --password-stdin] [REGISTRY]");
        if (password is not null && stdin)
            throw new DockyardException($"{command}: --password and --password-stdin are mutually exclusive.");
        return new LoginCommand(tool, Registry(args.Operands.FirstOrDefault()), user, password, stdin);
    }

    private static LogoutCommand Logout(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        while (args.NextOption(out var name, out _)) throw args.Unknown(name);
        if (args.Operands.Count > 1) throw args.Usage($"{command} [REGISTRY]");
        return new LogoutCommand(tool, Registry(args.Operands.FirstOrDefault()));
    }

    private static BuildCommand Build(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        var tags = new List<string>();
        var buildArgs = new List<KeyValuePair<string, string?>>();
        var labels = new List<KeyValuePair<string, string>>();
        var platforms = new List<string>();
        var ignored = new List<string>();
        string? file = null, target = null, iid = null, cacheTo = null, metadata = null;
        var cacheFrom = new List<string>();
        var outputs = new List<string>();
        var secrets = new List<string>();
        bool push = false, pull = false, noCache = false, load = false;
        while (args.NextOption(out var name, out var inline))
        {
            switch (name)
            {
                case "-t" or "--tag": tags.Add(args.Value(name, inline)); break;
                case "-f" or "--file": file = args.Value(name, inline); break;
                case "--target": target = args.Value(name, inline); break;
                case "--build-arg": buildArgs.Add(KeyValue(args.Value(name, inline))); break;
                case "--label": labels.Add(Label(args.Value(name, inline))); break;
                case "--platform": platforms.AddRange(args.Value(name, inline).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "--push": push = args.Flag(name, inline); break;
                case "--pull": pull = args.Flag(name, inline); break;
                case "--no-cache": noCache = args.Flag(name, inline); break;
                case "--iidfile": iid = args.Value(name, inline); break;
                case "--cache-from": cacheFrom.Add(args.Value(name, inline)); break;
                case "--cache-to": cacheTo = args.Value(name, inline); break;
                case "-o" or "--output": outputs.Add(args.Value(name, inline)); break;
                case "--load": load = args.Flag(name, inline); break;
                case "--metadata-file": metadata = args.Value(name, inline); break;
                case "--attest": ignored.Add($"--attest={args.Value(name, inline)}"); break;
                case "--secret" or "--ssh": secrets.Add(name); args.Value(name, inline); break;
                case "--provenance" or "--sbom": ignored.Add(inline is null ? name : $"{name}={inline}"); break;
                case "--progress": ignored.Add($"--progress={args.Value(name, inline)}"); break;
                case "-q" or "--quiet" or "--rm" or "--force-rm": ignored.Add(name); break;
                default: throw args.Unknown(name);
            }
        }
        // buildah and podman build the current directory when no context is given; docker needs one.
        if (args.Operands.Count == 0 && tool != "docker") args.Operands.Add(".");
        if (args.Operands.Count != 1) throw args.Usage($"{command} [OPTIONS] PATH");
        return new BuildCommand(tool, args.Operands[0], tags, file, target, buildArgs, labels, platforms, push, pull, noCache, iid, ignored)
        {
            CacheFrom = cacheFrom, CacheTo = cacheTo, Outputs = outputs, Load = load, MetadataFile = metadata, SecretsAndSsh = secrets,
        };
    }

    /// <summary>
    /// <c>/kaniko/executor FLAGS</c>: the build part becomes a <see cref="BuildCommand"/> (tags = destinations), the
    /// rest says where the image goes. Flags are kaniko's (pflag: <c>--name value</c>, <c>--name=value</c>, booleans bare or <c>=true|false</c>).
    /// </summary>
    private static KanikoCommand Kaniko(IReadOnlyList<string> argv)
    {
        var args = new ContainerArguments(KanikoPaths.Executor, argv);
        var destinations = new List<string>();
        var buildArgs = new List<KeyValuePair<string, string?>>();
        var labels = new List<KeyValuePair<string, string>>();
        var platforms = new List<string>();
        var insecureRegistries = new List<string>();
        var mirrors = new List<string>();
        var ignored = new List<string>();
        string? context = null, file = null, target = null, tarPath = null, digestFile = null, ociLayout = null, cacheRepo = null;
        bool noPush = false, reproducible = false, cache = false, skipTls = false, insecure = false;
        while (args.NextOption(out var name, out var inline))
        {
            switch (name)
            {
                case "-c" or "--context": context = args.Value(name, inline); break;
                case "-f" or "--dockerfile": file = args.Value(name, inline); break;
                case "-d" or "--destination": destinations.Add(args.Value(name, inline)); break;
                case "--build-arg": buildArgs.Add(KeyValue(args.Value(name, inline))); break;
                case "--label": labels.Add(Label(args.Value(name, inline))); break;
                case "--target": target = args.Value(name, inline); break;
                case "--custom-platform": platforms.Add(args.Value(name, inline)); break;
                case "--no-push": noPush = args.Flag(name, inline); break;
                case "--tar-path": tarPath = args.Value(name, inline); break;
                case "--digest-file": digestFile = args.Value(name, inline); break;
                case "--oci-layout-path": ociLayout = args.Value(name, inline); break;
                case "--reproducible": reproducible = args.Flag(name, inline); break;
                case "--cache": cache = args.Flag(name, inline); break;
                case "--cache-repo": cacheRepo = args.Value(name, inline); break;
                case "--skip-tls-verify": skipTls = args.Flag(name, inline); break;
                case "--insecure": insecure = args.Flag(name, inline); break;
                case "--insecure-registry" or "--skip-tls-verify-registry": insecureRegistries.Add(args.Value(name, inline)); break;
                case "--registry-mirror": mirrors.AddRange(args.Value(name, inline).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case "-v" or "--verbosity" or "--log-format" or "--snapshot-mode" or "--cache-ttl":
                    ignored.Add($"{name}={args.Value(name, inline)}");
                    break;
                case "--cleanup" or "--force" or "--single-snapshot" or "--use-new-run" or "--log-timestamp" or "--compressed-caching":
                    args.Flag(name, inline);
                    ignored.Add(inline is null ? name : $"{name}={inline}");
                    break;
                default:
                    throw new DockyardException($"{KanikoPaths.Executor}: flag {name} is not supported by Dockyard's kaniko executor, which carries out --context, --dockerfile, " +
                        "--destination, --build-arg, --target, --label, --no-push, --tar-path, --digest-file, --oci-layout-path, --reproducible, --cache, --cache-repo, " +
                        "--skip-tls-verify, --insecure, --insecure-registry, --registry-mirror and --custom-platform; remove it from the job's script.");
            }
        }
        if (args.Operands.Count > 0)
            throw new DockyardException($"{KanikoPaths.Executor}: unexpected argument '{args.Operands[0]}'; every input is a flag (--context DIR, --dockerfile FILE, --destination IMAGE).");
        if (context is null)
            throw new DockyardException($"{KanikoPaths.Executor}: give the build context with --context DIR (kaniko's default /workspace is not the job's directory); GitLab's docs use --context \"${{CI_PROJECT_DIR}}\".");
        if (context.StartsWith("dir://", StringComparison.Ordinal)) context = context["dir://".Length..];
        else if (context.Contains("://", StringComparison.Ordinal))
            throw new DockyardException($"{KanikoPaths.Executor}: --context {context[..context.IndexOf("://", StringComparison.Ordinal)]}:// is not supported; Dockyard builds a directory of the job (--context DIR or dir://DIR).");
        if (destinations.Count == 0 && !noPush)
            throw new DockyardException($"{KanikoPaths.Executor}: give --destination IMAGE (several allowed), or --no-push.");
        if (platforms.Count > 1)
            throw new DockyardException($"{KanikoPaths.Executor}: --custom-platform takes one platform (kaniko builds one per run).");
        var build = new BuildCommand(KanikoPaths.Tool, context, destinations, file, target, buildArgs, labels, platforms, Push: false, Pull: false, NoCache: false, IidFile: null, ignored);
        return new KanikoCommand(KanikoPaths.Tool, build, noPush, tarPath, digestFile, ociLayout, reproducible, cache, cacheRepo, skipTls, insecure, insecureRegistries, mirrors);
    }

    /// <summary><c>KEY=VALUE</c> (or <c>KEY</c>: <c>null</c> value) of <c>--build-arg</c> and <c>--label</c>.</summary>
    private static KeyValuePair<string, string?> KeyValue(string text)
    {
        var eq = text.IndexOf('=');
        return eq < 0 ? new(text, null) : new(text[..eq], text[(eq + 1)..]);
    }

    private static KeyValuePair<string, string> Label(string text)
    {
        var (key, value) = KeyValue(text);
        return new(key, value ?? "");
    }

    private static TagCommand Tag(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        while (args.NextOption(out var name, out _)) throw args.Unknown(name);
        if (args.Operands.Count != 2) throw args.Usage($"{command} SOURCE TARGET");
        return new TagCommand(tool, args.Operands[0], args.Operands[1]);
    }

    private static PushCommand Push(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        var all = false;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-a" or "--all-tags") all = args.Flag(name, inline);
            else if (name is "-q" or "--quiet") { }
            else throw args.Unknown(name);
        }
        if (args.Operands.Count != 1) throw args.Usage($"{command} [--all-tags] REFERENCE");
        return new PushCommand(tool, args.Operands[0], all);
    }

    private static PullCommand Pull(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        while (args.NextOption(out var name, out _))
            if (name is not ("-q" or "--quiet")) throw args.Unknown(name);
        if (args.Operands.Count != 1) throw args.Usage($"{command} REFERENCE");
        return new PullCommand(tool, args.Operands[0]);
    }

    private static ImagesCommand Images(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        var quiet = false;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-q" or "--quiet") quiet = args.Flag(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count > 1) throw args.Usage($"{command} [-q] [REPOSITORY]");
        return new ImagesCommand(tool, args.Operands.FirstOrDefault(), quiet);
    }

    private static InspectCommand Inspect(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        string? format = null;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-f" or "--format") format = args.Value(name, inline);
            else if (name is "--type") { if (args.Value(name, inline) != "image") throw new DockyardException($"{command}: only --type image is inspected natively."); }
            else throw args.Unknown(name);
        }
        InspectFormat? parsed = string.Join(' ', (format ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)) switch
        {
            "{{.Id}}" or "{{.ID}}" or "{{ .Id }}" or "{{ .ID }}" => InspectFormat.Id,
            "{{index .RepoDigests 0}}" or "{{ index .RepoDigests 0 }}" => InspectFormat.RepoDigest,
            _ => null,
        };
        if (parsed is not { } known)
            throw new DockyardException($"{command}: only --format '{{{{.Id}}}}' and --format '{{{{index .RepoDigests 0}}}}' are supported natively; got {(format is null ? "no --format" : $"'{format}'")}.");
        if (args.Operands.Count == 0) throw args.Usage($"{command} --format '{{{{.Id}}}}' REFERENCE...");
        return new InspectCommand(tool, args.Operands, known);
    }

    /// <summary><c>docker save [-o FILE] IMAGE...</c> (without <c>-o</c>: standard output).</summary>
    private static SaveCommand Save(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        string? output = null;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-o" or "--output") output = args.Value(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count == 0) throw args.Usage($"{command} [-o FILE] IMAGE...");
        return new SaveCommand(tool, output, args.Operands);
    }

    /// <summary><c>docker load [-i FILE] [-q]</c> (without <c>-i</c>: standard input).</summary>
    private static LoadCommand Load(string tool, string command, List<string> argv)
    {
        var args = new ContainerArguments(command, argv);
        string? input = null;
        var quiet = false;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-i" or "--input") input = args.Value(name, inline);
            else if (name is "-q" or "--quiet") quiet = args.Flag(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count > 0) throw args.Usage($"{command} [-i FILE] [-q]");
        return new LoadCommand(tool, input, quiet);
    }

    /// <summary><c>docker manifest create [--amend] LIST IMAGE...</c>.</summary>
    private static ManifestCreateCommand ManifestCreate(string tool, List<string> argv)
    {
        var args = new ContainerArguments($"{tool} manifest create", argv);
        var amend = false;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-a" or "--amend") amend = args.Flag(name, inline);
            else if (name is "--insecure") args.Flag(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count < 2) throw args.Usage($"{tool} manifest create [--amend] LIST IMAGE...");
        return new ManifestCreateCommand(tool, args.Operands[0], args.Operands.Skip(1).ToList(), amend);
    }

    /// <summary><c>docker manifest push [--purge] LIST</c>.</summary>
    private static ManifestPushCommand ManifestPush(string tool, List<string> argv)
    {
        var args = new ContainerArguments($"{tool} manifest push", argv);
        var purge = false;
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-p" or "--purge") purge = args.Flag(name, inline);
            else if (name is "--insecure") args.Flag(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count != 1) throw args.Usage($"{tool} manifest push [--purge] LIST");
        return new ManifestPushCommand(tool, args.Operands[0], purge);
    }

    /// <summary><c>docker buildx imagetools create -t TAG... SOURCE...</c>.</summary>
    private static IndexCreateCommand ImagetoolsCreate(string tool, List<string> argv)
    {
        var args = new ContainerArguments($"{tool} buildx imagetools create", argv);
        var tags = new List<string>();
        while (args.NextOption(out var name, out var inline))
        {
            if (name is "-t" or "--tag") tags.Add(args.Value(name, inline));
            else if (name is "--progress" or "--builder") args.Value(name, inline);
            else throw args.Unknown(name);
        }
        if (args.Operands.Count == 0) throw args.Usage($"{tool} buildx imagetools create -t TAG [-t TAG...] SOURCE...");
        if (tags.Count == 0) throw new DockyardException($"{tool} buildx imagetools create: give the index's name with -t TAG.") { Setting = Setting.Tag };
        return new IndexCreateCommand(tool, tags, args.Operands);
    }

    /// <summary>The registry host a <c>docker login</c> server or a docker config <c>auths</c> key names.</summary>
    internal static string Registry(string? server)
    {
        if (server is null) return DockerHub;
        var host = server;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        host = host.TrimEnd('/');
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        return host is "index.docker.io" or "registry-1.docker.io" ? DockerHub : host;
    }
}
