using System.Text;
using Dockyard.Credentials;
using Dockyard.Credentials.DockerConfig;
using Dockyard.Diagnostics;
using Dockyard.Images.Locations;
using Dockyard.Registries.Mirrors;
using Dockyard.Registries.References;
using Dockyard.UseCases;

namespace Dockyard.Jobs.ContainerCommands.Handlers;

/// <summary>
/// <c>/kaniko/executor</c>: the docker build handler's request and build (native, into the job's store, the
/// destinations as its names), then every output kaniko has: a push to each <c>--destination</c> (the local store for
/// the local run's <c>$CI_REGISTRY</c>, as <c>docker push</c>), <c>--tar-path</c> (docker-archive),
/// <c>--oci-layout-path</c>, <c>--digest-file</c>. Logins come from the <c>config.json</c> the job wrote to
/// <c>$DOCKER_CONFIG</c> (kaniko's <c>/kaniko/.docker/</c>, mapped to the job's private directory).
/// </summary>
internal static class KanikoHandler
{
    /// <summary>The job-store name of an image built with <c>--no-push</c> and no <c>--destination</c>.</summary>
    private const string UnnamedImage = "dockyard.invalid/kaniko/image:latest";

    public static async Task<int> RunAsync(ContainerJob job, KanikoCommand kaniko, CancellationToken cancellationToken)
    {
        var root = job.Host.Get(KanikoPaths.RootVariable);
        var destinations = kaniko.Build.Tags;
        var context = KanikoPaths.MapPath(kaniko.Build.Context, root);
        var build = kaniko.Build with
        {
            Context = context,
            Dockerfile = Dockerfile(job.Host, context, kaniko.Build.Dockerfile is { } file ? KanikoPaths.MapPath(file, root) : null),
            Tags = destinations.Count > 0 ? destinations : [UnnamedImage],
        };
        var credentials = ConfigCredentials(job, root).Concat(job.Credentials.All()).ToList();
        var pushInsecure = kaniko.InsecureRegistries.Concat(kaniko.Insecure || kaniko.SkipTlsVerify
            ? destinations.Select(d => ImageLookup.Reference(KanikoPaths.Executor, d).Registry).Concat(kaniko.CacheRepo is { } repo ? [ImageLookup.Reference(KanikoPaths.Executor, repo).Registry] : [])
            : []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // kaniko's --cache=true keeps its cache in --cache-repo, by default the first destination's repository + "/cache".
        var cacheRepository = !kaniko.Cache ? null
            : kaniko.CacheRepo ?? (destinations.Count > 0 ? ImageLookup.Reference(KanikoPaths.Executor, destinations[0]).Name + "/cache" : null);
        var buildInsecure = kaniko.InsecureRegistries.Concat(cacheRepository is not null && (kaniko.Insecure || kaniko.SkipTlsVerify) ? [ImageLookup.Reference(KanikoPaths.Executor, cacheRepository).Registry] : [])
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var request = BuildHandler.Request(job, build) with { Credentials = credentials, InsecureRegistries = buildInsecure, CacheRepository = cacheRepository };
        var host = kaniko.RegistryMirrors.Count > 0 ? WithMirrors(job, root, kaniko) : job.Host;

        var plan = await BuildHandler.PlanAsync(host, request, cancellationToken).ConfigureAwait(false);
        if (!plan.IsNative)
            throw new DockyardException($"{KanikoPaths.Executor} (job '{job.JobName}') needs {BuildHandler.ContainerReasons(plan)}, and Dockyard carries out kaniko builds " +
                "natively (COPY, ADD, metadata, RUN dotnet restore/build/publish with this machine's SDK), with no container to run other RUN lines in. " +
                "Run that step in the job's script instead of the Dockerfile, or build this image with 'docker build' in a job with a Docker daemon.")
            { Code = ExternalHandler.NeedsToolCode };
        foreach (var note in Notes(kaniko)) job.Note(note);
        await BuildHandler.BuildAsync(job, host, build, request, cancellationToken).ConfigureAwait(false);

        var name = build.Tags[0];
        var digest = ImageLookup.Find(job, KanikoPaths.Executor, name).Descriptor.Digest;
        if (!kaniko.NoPush)
        {
            var connection = new RegistryConnection { Credentials = credentials, InsecureRegistries = pushInsecure };
            foreach (var destination in destinations)
            {
                var pushed = await TransferHandler.PushNameAsync(job, KanikoPaths.Executor, destination, connection, cancellationToken).ConfigureAwait(false);
                job.Output.WriteLine($"Pushed {destination}@{pushed}");
            }
        }
        if (kaniko.TarPath is { } tar)
        {
            var path = job.Host.FullPath(KanikoPaths.MapPath(tar, root));
            await CopyAsync(job, name, "docker-archive:" + path + (destinations.Count > 0 ? ":" + destinations[0] : ""), destinations.Skip(1).ToList(), cancellationToken).ConfigureAwait(false);
            job.Output.WriteLine($"Saved image to {tar}");
        }
        if (kaniko.OciLayoutPath is { } layout)
        {
            await CopyAsync(job, name, "oci:" + job.Host.FullPath(KanikoPaths.MapPath(layout, root)), [], cancellationToken).ConfigureAwait(false);
            job.Output.WriteLine($"Saved OCI layout to {layout}");
        }
        if (kaniko.DigestFile is { } digestFile)
            await File.WriteAllTextAsync(job.Host.FullPath(KanikoPaths.MapPath(digestFile, root)), digest.ToString(), cancellationToken).ConfigureAwait(false);
        job.Output.WriteLine($"Built {digest}");
        return 0;
    }

    /// <summary>kaniko's rule: a relative <c>--dockerfile</c> that is not there from the working directory is in the context.</summary>
    internal static string? Dockerfile(Hosting.HostContext host, string context, string? dockerfile)
    {
        if (dockerfile is null || Path.IsPathRooted(dockerfile) || File.Exists(host.FullPath(dockerfile))) return dockerfile;
        return Path.Combine(context, dockerfile);
    }

    /// <summary>
    /// The logins of the job's kaniko <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c>, kaniko's
    /// <c>/kaniko/.docker/config.json</c>): every <c>auths</c> entry with a user and password, masked from then on.
    /// </summary>
    private static IEnumerable<ExplicitCredential> ConfigCredentials(ContainerJob job, string? root)
    {
        var directory = job.Host.Get("DOCKER_CONFIG") is { Length: > 0 } configured ? KanikoPaths.MapPath(configured.TrimEnd('/'), root)
            : root is not null ? Path.Combine(root, ".docker") : null;
        if (directory is null) return [];
        var path = Path.Combine(job.Host.FullPath(directory), "config.json");
        if (!File.Exists(path)) return [];
        var document = DockerConfigParser.ParseConfig(File.ReadAllText(path), KanikoPaths.Shown(path, root));
        var found = new List<ExplicitCredential>();
        foreach (var entry in document.Auths)
        {
            if (entry.Username is null || entry.Password is null)
            {
                if (!entry.IsEmpty) job.Warn($"{entry} of the job's kaniko config.json has no user and password (tokens are not used); the registry is reached without it.");
                continue;
            }
            job.Host.Masker.Add(entry.Password);
            job.Host.Masker.Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{entry.Username}:{entry.Password}")));
            found.Add(new ExplicitCredential(ContainerCommandParser.Registry(entry.Key), entry.Username, entry.Password));
        }
        if (document.CredsStore is not null || document.CredHelpers.Count > 0)
            job.Warn("credsStore/credHelpers of the job's kaniko config.json are not run; give the registry's user and password in \"auths\".");
        return found;
    }

    /// <summary>
    /// <c>--registry-mirror</c>: kaniko pulls docker.io images from the mirrors first (then docker.io); a
    /// registries.conf with those mirrors for docker.io, in the job's private directory, serves this build.
    /// </summary>
    private static Hosting.HostContext WithMirrors(ContainerJob job, string? root, KanikoCommand kaniko)
    {
        var conf = new StringBuilder("[[registry]]\nprefix = \"docker.io\"\nlocation = \"docker.io\"\n");
        foreach (var mirror in kaniko.RegistryMirrors)
        {
            var location = mirror.Contains("://", StringComparison.Ordinal) ? mirror[(mirror.IndexOf("://", StringComparison.Ordinal) + 3)..] : mirror;
            location = location.TrimEnd('/');
            var insecure = kaniko.InsecureRegistries.Contains(ContainerCommandParser.Registry(location), StringComparer.OrdinalIgnoreCase) || mirror.StartsWith("http://", StringComparison.Ordinal);
            conf.Append("\n[[registry.mirror]]\nlocation = \"").Append(location.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"\n");
            if (insecure) conf.Append("insecure = true\n");
        }
        var path = Path.Combine(root ?? job.PrivateDirectory, "registries.conf");
        File.WriteAllText(path, conf.ToString());
        if (job.Host.Get(RegistriesConfLoader.Variable) is { Length: > 0 } previous)
            job.Warn($"--registry-mirror: this build reads only the mirrors given ({RegistriesConfLoader.Variable}={previous} is not used for it).");
        var variables = new Dictionary<string, string>(job.Host.Variables, StringComparer.Ordinal) { [RegistriesConfLoader.Variable] = path };
        variables.Remove(RegistriesConfLoader.LegacyVariable);
        return job.Host.WithVariables(variables);
    }

    private static async Task CopyAsync(ContainerJob job, string name, string destination, IReadOnlyList<string> tags, CancellationToken cancellationToken) =>
        await ImageCopy.RunAsync(job.Host, new ImageCopyRequest
        {
            Source = "local:" + name, Destination = destination, AdditionalTags = tags, AllPlatforms = true, LocalStoreDirectory = job.Store.Root,
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>What Dockyard does with kaniko's flags that change nothing or work differently here.</summary>
    private static IEnumerable<string> Notes(KanikoCommand kaniko)
    {
        if (kaniko.Reproducible) yield return "--reproducible: accepted; Dockyard's images are always reproducible (times from SOURCE_DATE_EPOCH, else 1970-01-01T00:00:01Z)";
        if (kaniko.Cache)
            yield return "--cache: layers are looked up by content in the cache repository (tag dockyard-layer-cache, Dockyard's own format: kaniko's cache images are not read) and recorded there";
        else if (kaniko.CacheRepo is not null)
            yield return "--cache-repo: no effect without --cache=true (as in kaniko)";
        if (kaniko.RegistryMirrors.Count > 0)
            yield return $"--registry-mirror: docker.io images are pulled from {string.Join(", ", kaniko.RegistryMirrors)} first, then from docker.io";
        if (kaniko.NoPush) yield return "--no-push: the image is not pushed";
    }
}
