using System.IO.Enumeration;
using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>How <see cref="PublishLayering"/> splits a <c>dotnet publish</c> output directory into layers.</summary>
public sealed record PublishLayeringOptions
{
    /// <summary>Where the publish output goes in the image (default <c>/app</c>, like the SDK's containers).</summary>
    public string Destination { get; init; } = "/app";

    /// <summary>Owner of the files (<c>--chown</c>); 0 by default.</summary>
    public int Uid { get; init; }

    /// <summary>Group of the files; 0 by default.</summary>
    public int Gid { get; init; }

    /// <summary>Put everything in one layer (what the SDK does).</summary>
    public bool SingleLayer { get; init; }

    /// <summary>Give the .NET runtime (self-contained runtime pack) its own layer, below the NuGet packages.</summary>
    public bool SeparateRuntime { get; init; }

    /// <summary>Extra patterns (paths relative to the publish directory, <c>*</c>/<c>?</c> wildcards) that go to the dependency layer.</summary>
    public IReadOnlyList<string> DependencyPatterns { get; init; } = [];

    /// <summary>Patterns that always go to the app layer, even when deps.json calls them a dependency.</summary>
    public IReadOnlyList<string> AppPatterns { get; init; } = [];
}

/// <summary>One planned layer of a publish output: a name and the files (relative to the publish directory) it holds.</summary>
/// <param name="Name">"runtime", "dependencies" or "app".</param>
/// <param name="Files">Relative paths with '/', sorted.</param>
public sealed record PublishLayer(string Name, IReadOnlyList<string> Files);

/// <summary>
/// A Jib-like split of <c>dotnet publish</c> output so that a code change re-pushes only a small layer. The
/// <c>&lt;app&gt;.deps.json</c> says which files come from NuGet packages (<c>"type": "package"</c>) and from the
/// runtime pack of a self-contained app (<c>"type": "runtimepack"</c>); those go to the <b>dependencies</b> layer
/// (or <b>runtime</b> + <b>dependencies</b> with <see cref="PublishLayeringOptions.SeparateRuntime"/>). Everything
/// else — the app's own and project-reference assemblies, deps/runtimeconfig files, the apphost, appsettings,
/// wwwroot and other content — goes to the <b>app</b> layer, on top. Layers without files are left out.
/// </summary>
public static class PublishLayering
{
    /// <summary>The history comment of the layer a COPY of publish output puts its dependencies in.</summary>
    public const string DependenciesComment = "dockyard.layer: dependencies";

    /// <summary>The history comment of the layer a COPY of publish output puts the app's own files in.</summary>
    public const string AppComment = "dockyard.layer: app";

    /// <summary>Plans the layers for <paramref name="publishDirectory"/>, lowest first.</summary>
    /// <exception cref="DockyardException">The directory is missing, or holds several deps.json files none of which matches a runtimeconfig.</exception>
    public static IReadOnlyList<PublishLayer> Plan(string publishDirectory, PublishLayeringOptions? options = null)
    {
        options ??= new PublishLayeringOptions();
        if (!Directory.Exists(publishDirectory))
            throw new DockyardException($"Publish directory '{publishDirectory}' does not exist; run dotnet publish first or pass the right --publish-dir.");
        var files = LayerBuilder.Walk(new DirectoryInfo(publishDirectory)).Where(i => i is FileInfo)
            .Select(f => Path.GetRelativePath(publishDirectory, f.FullName).Replace('\\', '/'))
            .OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (options.SingleLayer) return files.Count == 0 ? [] : [new PublishLayer("app", files)];

        var kinds = ReadDependencyKinds(publishDirectory);
        var runtime = new List<string>();
        var packages = new List<string>();
        var app = new List<string>();
        foreach (var file in files)
        {
            var kind = kinds.GetValueOrDefault(file);
            if (Matches(options.AppPatterns, file)) kind = null;
            else if (kind is null && Matches(options.DependencyPatterns, file)) kind = "package";
            (kind switch { "runtimepack" when options.SeparateRuntime => runtime, "runtimepack" or "package" => packages, _ => app }).Add(file);
        }
        var layers = new List<PublishLayer>();
        if (runtime.Count > 0) layers.Add(new PublishLayer("runtime", runtime));
        if (packages.Count > 0) layers.Add(new PublishLayer("dependencies", packages));
        if (app.Count > 0) layers.Add(new PublishLayer("app", app));
        return layers;
    }

    /// <summary>One <see cref="LayerBuilder"/> per planned layer, files under <see cref="PublishLayeringOptions.Destination"/> with their own modes.</summary>
    public static IReadOnlyList<(PublishLayer Layer, LayerBuilder Builder)> CreateBuilders(string publishDirectory, PublishLayeringOptions? options = null, DateTimeOffset? timestamp = null)
    {
        options ??= new PublishLayeringOptions();
        var destination = LayerPath.Normalize(options.Destination);
        return Plan(publishDirectory, options).Select(layer =>
        {
            var builder = new LayerBuilder(timestamp);
            builder.AddDirectory(destination, LayerBuilder.DirectoryMode, options.Uid, options.Gid);
            foreach (var file in layer.Files)
            {
                var parent = LayerPath.Parent(file);
                for (var dir = parent; dir is not null; dir = LayerPath.Parent(dir))
                    builder.AddDirectory(destination + "/" + dir, LayerBuilder.DirectoryMode, options.Uid, options.Gid);
                builder.AddFileFromDisk(destination + "/" + file, Path.Combine(publishDirectory, file), uid: options.Uid, gid: options.Gid);
            }
            return (layer, builder);
        }).ToList();
    }

    /// <summary>Publish-relative path → library type ("package" or "runtimepack") for every asset deps.json lists.</summary>
    private static Dictionary<string, string> ReadDependencyKinds(string publishDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var depsFile = FindDepsFile(publishDirectory);
        if (depsFile is null) return result;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(depsFile));
        }
        catch (JsonException e)
        {
            throw new DockyardException($"'{depsFile}' is not valid JSON ({e.Message}); publish the project again.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (!root.TryGetProperty("libraries", out var libraries) || !root.TryGetProperty("targets", out var targets)) return result;
            foreach (var target in targets.EnumerateObject())
            foreach (var library in target.Value.EnumerateObject())
            {
                if (!libraries.TryGetProperty(library.Name, out var info) || !info.TryGetProperty("type", out var typeElement)) continue;
                var type = typeElement.GetString();
                if (type is not ("package" or "runtimepack")) continue;
                foreach (var path in AssetPaths(library.Value)) result[path] = type;
            }
        }
        return result;
    }

    /// <summary>Where publish puts each asset of a library: runtime/native at the top, resources under their locale, RID-specific assets as listed.</summary>
    private static IEnumerable<string> AssetPaths(JsonElement library)
    {
        foreach (var group in new[] { "runtime", "native" })
            if (library.TryGetProperty(group, out var assets))
                foreach (var asset in assets.EnumerateObject()) yield return Path.GetFileName(asset.Name);
        if (library.TryGetProperty("resources", out var resources))
            foreach (var asset in resources.EnumerateObject())
                if (asset.Value.TryGetProperty("locale", out var locale)) yield return $"{locale.GetString()}/{Path.GetFileName(asset.Name)}";
        if (library.TryGetProperty("runtimeTargets", out var runtimeTargets))
            foreach (var asset in runtimeTargets.EnumerateObject()) yield return asset.Name;
    }

    private static string? FindDepsFile(string publishDirectory)
    {
        var candidates = Directory.GetFiles(publishDirectory, "*.deps.json");
        if (candidates.Length <= 1) return candidates.FirstOrDefault();
        var matching = candidates.Where(c => File.Exists(c[..^".deps.json".Length] + ".runtimeconfig.json")).ToList();
        return matching.Count == 1 ? matching[0]
            : throw new DockyardException($"'{publishDirectory}' holds {candidates.Length} deps.json files and no single one belongs to the app's runtimeconfig.json; publish one project per directory.");
    }

    private static bool Matches(IReadOnlyList<string> patterns, string file) =>
        patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, file, ignoreCase: false));
}
