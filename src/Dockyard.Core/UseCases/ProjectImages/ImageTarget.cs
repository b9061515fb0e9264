using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Registries.References;
using Dockyard.UseCases.Build;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// Where a project's image goes and under which names, decided once for every front:
/// <c>ContainerArchiveOutputPath</c> → an archive; <c>ContainerRegistry</c> → push there; <c>LocalRegistry=Docker</c>
/// → the Docker daemon; in GitLab CI with none of them, <c>$CI_REGISTRY_IMAGE</c> (the job token comes from the
/// credential chain); else the local image store. Tags: <c>ContainerImageTags</c>, else <c>$CI_COMMIT_SHORT_SHA</c>
/// and <c>latest</c> in GitLab CI, else <c>latest</c>.
/// </summary>
/// <param name="Destination">Where the image goes.</param>
/// <param name="Registry">The registry pushed to, when pushed.</param>
/// <param name="Repository">The repository (with <c>$CI_REGISTRY_IMAGE</c>'s path in CI).</param>
/// <param name="Tags">The tags.</param>
/// <param name="References">The full names written.</param>
/// <param name="Messages">Why, in words.</param>
internal sealed record ImageTarget(ImageDestination Destination, string? Registry, string Repository, IReadOnlyList<string> Tags,
    IReadOnlyList<string> References, IReadOnlyList<string> Messages)
{
    /// <summary>
    /// Decides the destination and names of <paramref name="request"/>'s image on <paramref name="host"/>; with
    /// <paramref name="job"/>, the names that pipeline job pushes (<see cref="FromJob"/>).
    /// </summary>
    public static ImageTarget Decide(HostContext host, ProjectImageRequest request, PipelineImageJob? job = null)
    {
        var messages = new List<string>();
        if (job is { References.Count: > 0 }) return FromJob(host, request, job, messages);
        var inGitLabCi = host.Get("GITLAB_CI") == "true";
        var repository = request.Repository is { Length: > 0 } r ? SdkContainerDefaults.Repository(r) : SdkContainerDefaults.Repository(request.AssemblyName);
        var tags = DecideTags(host, request, inGitLabCi, messages);

        if (request.ArchiveOutputPath is { Length: > 0 })
            return Archive(host, request, repository, tags, Names(request.Registry, repository, tags), messages);
        var localRunRegistry = host.Get(Jobs.ContainerCommands.ContainerShims.LocalRegistryVariable);
        var named = request.Registry is { Length: > 0 } ? request.Registry : inGitLabCi ? host.Get("CI_REGISTRY_IMAGE")?.Split('/')[0] : null;
        if (localRunRegistry is not null && string.Equals(named, localRunRegistry, StringComparison.OrdinalIgnoreCase))
        {
            // A job of a local `dockyard ci run`: its $CI_REGISTRY stands for the local image store, as for its docker push.
            var path = request.Registry is { Length: > 0 } ? repository : CiRepository(host.Get("CI_REGISTRY_IMAGE")!, request, repository);
            var names = Names(localRunRegistry, path, tags);
            messages.Add($"image stored in the local image store as {string.Join(", ", names.Select(n => "local:" + n))}: {localRunRegistry} is $CI_REGISTRY of a local run, which stands for the local image store");
            return new ImageTarget(ImageDestination.LocalStore, null, path, tags, names, messages);
        }

        if (request.Registry is { Length: > 0 } registry)
        {
            messages.Add($"image pushed to {registry} (ContainerRegistry)");
            return new ImageTarget(ImageDestination.Push, registry, repository, tags, Names(registry, repository, tags), messages);
        }
        if (request.LocalRegistry is { Length: > 0 } local)
        {
            CheckLocalRegistry(local);
            messages.Add("image loaded into the Docker daemon (LocalRegistry=Docker)");
            return new ImageTarget(ImageDestination.At(ImageDestination.DockerDaemon), null, repository, tags, Names(null, repository, tags), messages);
        }
        if (inGitLabCi && host.Get("CI_REGISTRY_IMAGE") is { } ciImage)
        {
            var slash = ciImage.IndexOf('/', StringComparison.Ordinal);
            var ciRegistry = slash > 0 ? ciImage[..slash] : ciImage;
            var full = CiRepository(ciImage, request, repository);
            messages.Add($"image pushed to $CI_REGISTRY_IMAGE ({ciImage}{(request.Repository is { Length: > 0 } ? "/" + repository : "")}): GitLab CI and no ContainerRegistry set");
            return new ImageTarget(ImageDestination.Push, ciRegistry, full, tags, Names(ciRegistry, full, tags), messages);
        }
        var localNames = Names(null, repository, tags);
        messages.Add($"image stored in Dockyard's local image store as {string.Join(", ", localNames.Select(n => "local:" + n))} (no ContainerRegistry set); " +
            $"load it into docker with: dockyard image copy local:{localNames[0]} docker-daemon:{localNames[0]} (or set ContainerRegistry to push, LocalRegistry=Docker to load)");
        return new ImageTarget(ImageDestination.LocalStore, null, repository, tags, localNames, messages);
    }

    /// <summary>
    /// The names <paramref name="job"/> pushes, with <c>ContainerRegistry</c>, <c>ContainerRepository</c> and
    /// <c>ContainerImageTags</c> winning over the job's registry, repository and tags when set. Pushed as the job pushes
    /// them; to the local image store when the job only builds them, or when its registry is the local run's stand-in
    /// <c>$CI_REGISTRY</c>; <c>ContainerArchiveOutputPath</c> and <c>LocalRegistry=Docker</c> still choose an archive or the daemon.
    /// </summary>
    private static ImageTarget FromJob(HostContext host, ProjectImageRequest request, PipelineImageJob job, List<string> messages)
    {
        var parsed = job.References.Select(ImageReference.Parse).ToList(); // PipelineImageJob.Find only gives jobs whose names parse
        string RegistryOf(ImageReference r) => request.Registry is { Length: > 0 } registry ? registry : r.Registry;
        string RepositoryOf(ImageReference r) => request.Repository is { Length: > 0 } repository ? SdkContainerDefaults.Repository(repository) : r.Repository;
        var named = request.Tags.Count > 0
            ? parsed.Select(r => (Registry: RegistryOf(r), Repository: RepositoryOf(r))).Distinct()
                .SelectMany(r => request.Tags.Distinct(StringComparer.Ordinal).Select(t => (r.Registry, r.Repository, Tag: t))).ToList()
            : parsed.Select(r => (Registry: RegistryOf(r), Repository: RepositoryOf(r), Tag: r.Tag ?? "latest")).Distinct().ToList();
        foreach (var (setting, value) in new[] { ("ContainerRegistry", request.Registry), ("ContainerRepository", request.Repository) })
            if (value is { Length: > 0 }) messages.Add($"{setting} {value} wins over the one of pipeline job {job.Name} (set in the project)");
        if (request.Tags.Count > 0) messages.Add($"ContainerImageTags {string.Join(", ", request.Tags)} win over the tags of pipeline job {job.Name} (set in the project)");
        var tags = named.Select(n => n.Tag).ToList();
        var first = named[0];
        var references = named.Select(n => $"{n.Registry}/{n.Repository}:{n.Tag}").ToList();

        if (request.ArchiveOutputPath is { Length: > 0 }) return Archive(host, request, first.Repository, tags, references, messages);
        if (request.LocalRegistry is { Length: > 0 } local && request.Registry is not { Length: > 0 })
        {
            CheckLocalRegistry(local);
            messages.Add($"image loaded into the Docker daemon as {string.Join(", ", references)} (LocalRegistry=Docker)");
            return new ImageTarget(ImageDestination.At(ImageDestination.DockerDaemon), null, first.Repository, tags, references, messages);
        }
        if (!job.Pushes)
        {
            messages.Add($"image stored in the local image store as {string.Join(", ", references.Select(r => "local:" + r))}: pipeline job {job.Name} builds it without pushing");
            return new ImageTarget(ImageDestination.LocalStore, null, first.Repository, tags, references, messages);
        }
        // The job's $CI_REGISTRY in a local run, or, inside a job of a local `dockyard ci run`, that run's: both stand for the local image store.
        if ((job.LocalRegistry ?? host.Get(Jobs.ContainerCommands.ContainerShims.LocalRegistryVariable)) is { } standIn && named.All(n => string.Equals(n.Registry, standIn, StringComparison.OrdinalIgnoreCase)))
        {
            messages.Add($"image stored in the local image store as {string.Join(", ", references.Select(r => "local:" + r))}: {standIn} is $CI_REGISTRY of a local run, which stands for the local image store");
            return new ImageTarget(ImageDestination.LocalStore, null, first.Repository, tags, references, messages);
        }
        messages.Add($"image pushed as {string.Join(", ", references)}, the names pipeline job {job.Name} pushes");
        return new ImageTarget(ImageDestination.Push, first.Registry, first.Repository, tags, references, messages);
    }

    /// <summary><c>ContainerArchiveOutputPath</c>: the archive (a directory gets <c>REPOSITORY.tar.gz</c>), its kind from <c>ContainerImageFormat</c>.</summary>
    private static ImageTarget Archive(HostContext host, ProjectImageRequest request, string repository, IReadOnlyList<string> tags, List<string> names, List<string> messages)
    {
        var archive = request.ArchiveOutputPath!;
        var path = host.FullPath(archive);
        if (Directory.Exists(path) || archive.EndsWith('/') || archive.EndsWith('\\'))
            path = Path.Combine(path, repository.Replace('/', '_') + ".tar.gz");
        var kind = string.Equals(request.ImageFormat, "OCI", StringComparison.OrdinalIgnoreCase) ? "oci-archive" : "docker-archive";
        messages.Add($"image written to {kind}:{path} (ContainerArchiveOutputPath) as {string.Join(", ", names)}");
        return new ImageTarget(ImageDestination.At($"{kind}:{path}"), null, repository, tags, names, messages);
    }

    private static void CheckLocalRegistry(string local)
    {
        if (!string.Equals(local, "Docker", StringComparison.OrdinalIgnoreCase))
            throw new DockyardException($"LocalRegistry '{local}' is not one Dockyard loads images into; set it to Docker, or leave it unset for Dockyard's local image store.")
                { Setting = Setting.Output };
    }

    /// <summary>The repository under <c>$CI_REGISTRY_IMAGE</c>: its path, with <c>ContainerRepository</c> below it when set.</summary>
    private static string CiRepository(string ciImage, ProjectImageRequest request, string repository)
    {
        var slash = ciImage.IndexOf('/', StringComparison.Ordinal);
        var ciRepository = slash > 0 ? ciImage[(slash + 1)..] : "";
        return request.Repository is { Length: > 0 } ? (ciRepository.Length > 0 ? ciRepository + "/" : "") + repository : ciRepository.Length > 0 ? ciRepository : repository;
    }

    private static List<string> DecideTags(HostContext host, ProjectImageRequest request, bool inGitLabCi, List<string> messages)
    {
        if (request.Tags.Count > 0)
        {
            messages.Add($"tags {string.Join(", ", request.Tags)} from ContainerImageTags");
            return request.Tags.Distinct(StringComparer.Ordinal).ToList();
        }
        if (inGitLabCi && host.Get("CI_COMMIT_SHORT_SHA") is { } sha)
        {
            messages.Add($"tags {sha}, latest: $CI_COMMIT_SHORT_SHA and latest (GitLab CI, no ContainerImageTags)");
            return [sha, "latest"];
        }
        return ["latest"];
    }

    private static List<string> Names(string? registry, string repository, IReadOnlyList<string> tags) =>
        tags.Select(t => (registry is { Length: > 0 } ? registry.TrimEnd('/') + "/" : "") + repository + ":" + t).ToList();
}
