using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Cache;
using Dockyard.Registries.References;

namespace Dockyard.UseCases.Build;

/// <summary>
/// The registry layer cache of one build, as the request asks for it: which references are read (<c>CacheFrom</c>,
/// <c>CacheTo</c>, and a push's own tags), what is said about it, and writing <c>CacheTo</c> after the image is out.
/// </summary>
internal sealed class BuildLayerCache
{
    private readonly RegistryLayerCache _cache;
    private readonly IReadOnlyList<(ImageReference Reference, bool Explicit)> _sources;
    private readonly ImageReference? _target;
    private readonly BuildLog _log;

    private BuildLayerCache(RegistryLayerCache cache, IReadOnlyList<(ImageReference, bool)> sources, ImageReference? target, BuildLog log)
    {
        _cache = cache;
        _sources = sources;
        _target = target;
        _log = log;
    }

    /// <summary>The index the native builder asks.</summary>
    public RegistryLayerCache Index => _cache;

    /// <summary>The cache for <paramref name="request"/>, or null when it reads and writes none.</summary>
    /// <exception cref="DockyardException">A cache reference that is not an image reference.</exception>
    public static BuildLayerCache? For(ImageBuildRequest request, IReadOnlyList<string> tags, RegistryClient registry, BuildLog log)
    {
        var target = request.CacheTo is { } to ? Spec(to, "cache-to", log) : null;
        if (request.CacheRepository is { } repository)
        {
            var inRepository = Parse(repository, "cache repository");
            if (inRepository.Digest is not null || !repository.EndsWith(":" + inRepository.Tag, StringComparison.Ordinal)) inRepository = inRepository.WithTag(RegistryLayerCache.DefaultTag);
            target ??= inRepository;
        }
        if (target is not null && request.Destination.Kind == ImageDestinationKind.Push && tags.Contains(target.ToString(), StringComparer.Ordinal))
            throw new DockyardException($"The layer cache {target} is also a tag the image is pushed to: writing the cache there would replace the image. Give the cache a tag of its own (e.g. {target.WithTag("buildcache")}).") { Setting = Setting.LayerCache };
        var sources = request.CacheFrom.Select(from => Spec(from, "cache-from", log)).OfType<ImageReference>().Select(r => (r, true)).ToList();
        if (target is not null) sources.Add((target, true));
        if (request.Destination.Kind == ImageDestinationKind.Push && request.CacheFromTags)
            sources.AddRange(tags.Select(t => (ImageReference.Parse(t), false)));
        sources = sources.DistinctBy(s => s.Item1.ToString()).ToList();
        if (sources.Count == 0) return null;
        return new BuildLayerCache(new RegistryLayerCache(registry, log.Info, message => log.Warning(message, Setting.LayerCache)), sources, target, log);
    }

    /// <summary>Reads every source (a missing or unreadable one is an empty cache; explicit ones are warned about).</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var (reference, explicitlyNamed) in _sources)
            await _cache.AddSourceAsync(reference, explicitlyNamed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Said when another backend than native builds: it does not use the cache.</summary>
    public void NotUsedBy(Builders.BackendKind backend)
    {
        if (_sources.Any(s => s.Explicit))
            _log.Warning($"the registry layer cache (cache-from, cache-to) is used by the native backend only; the {backend.ToString().ToLowerInvariant()} backend builds without it.", Setting.LayerCache);
    }

    /// <summary>Says what the cache saved, then writes <c>CacheTo</c> (a failure is a warning: the image is already delivered).</summary>
    public async Task FinishAsync(Func<(RegistryClient Client, TransferProgressForwarder Counter)> pushClient, IReadOnlyList<ImageReference> pushedTo, CancellationToken cancellationToken)
    {
        if (_cache.Found > 0)
            _log.Info($"layer cache: {_cache.Found} layer(s) found in the registry, {ByteSize.Format(_cache.FoundBytes)} neither compressed nor stored here");
        if (_target is null) return;
        var (client, counter) = pushClient();
        using (client)
        {
            try
            {
                var entries = await _cache.SaveAsync(client, _target, pushedTo, cancellationToken).ConfigureAwait(false);
                _log.Info($"layer cache: wrote {_target} ({entries} layer(s), {ByteSize.Format(counter.UploadedBytes)} uploaded)");
            }
            catch (DockyardException e) when (!cancellationToken.IsCancellationRequested)
            {
                _log.Warning($"layer cache {_target} not written (the image itself is complete): {e.Message}", Setting.LayerCache);
            }
        }
    }

    /// <summary>
    /// A cache given as <c>REF</c> or docker's <c>type=registry,ref=REF[,…]</c>; null for a cache type Dockyard does not
    /// keep (said once): <c>inline</c> (every image it pushes already serves as a cache), <c>local</c>, <c>gha</c>, ….
    /// </summary>
    private static ImageReference? Spec(string text, string what, BuildLog log)
    {
        if (!text.Contains('=', StringComparison.Ordinal)) return Parse(text, what);
        var fields = CsvOptionFields.Parse(text);
        var type = fields.GetValueOrDefault("type") ?? "registry";
        switch (type)
        {
            case "registry":
                return fields.TryGetValue("ref", out var reference) ? Parse(reference, what)
                    : throw new DockyardException($"The {what} '{text}' names no image: write type=registry,ref=REGISTRY/REPOSITORY:TAG.") { Setting = Setting.LayerCache };
            case "inline":
                log.Info($"{what} type=inline: nothing to do, every image Dockyard pushes already serves as a cache (name it in cache-from)");
                return null;
            default:
                log.Warning($"{what} type={type} is not kept by Dockyard (only type=registry); building without it.", Setting.LayerCache);
                return null;
        }
    }

    private static ImageReference Parse(string reference, string what) =>
        ImageReference.TryParse(reference, out var parsed, out var error) ? parsed
            : throw new DockyardException($"The {what} reference '{reference}' is not an image reference ({error}); write REGISTRY/REPOSITORY:TAG.") { Setting = Setting.LayerCache };
}
