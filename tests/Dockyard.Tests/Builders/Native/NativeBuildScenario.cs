using Dockyard.Builders.Native;
using Dockyard.Builders.Planning;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries;

namespace Dockyard.Tests.Builders.Native;

/// <summary>Builds a Dockerfile natively from a context directory, the way <c>dockyard build</c> does.</summary>
internal static class NativeBuildScenario
{
    public static readonly Platform Amd64 = new("linux", "amd64");
    public static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public static void Write(string directory, string relative, string content, UnixFileMode? mode = null)
    {
        var path = Path.Combine(directory, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (mode is { } m && !OperatingSystem.IsWindows()) File.SetUnixFileMode(path, m);
    }

    public static BuildPlan Plan(string contextDirectory, string? target = null, IReadOnlyList<PublishedOutput>? published = null, IReadOnlyList<string>? buildArgs = null)
    {
        var dockerfile = DockerfileParser.ParseFile(Path.Combine(contextDirectory, "Dockerfile"), "Dockerfile");
        return BuildPlanner.Plan(dockerfile, new BuildPlanRequest(target, BuildArguments.Parse(buildArgs ?? [], Amd64, Amd64), published));
    }

    public static Task<Image> BuildAsync(string contextDirectory, string cacheDirectory, RegistryClient? registry = null,
        IReadOnlyList<PublishedOutput>? published = null, LayerCompression compression = LayerCompression.Gzip, IReadOnlyList<string>? buildArgs = null) =>
        new NativeImageBuilder(new NativeBuildOptions { Cache = new LayerCache(cacheDirectory), Registry = registry, Timestamp = Epoch, Compression = compression })
            .BuildAsync(Plan(contextDirectory, published: published, buildArgs: buildArgs), BuildContext.Open(contextDirectory));

    /// <summary>The image's filesystem (layers applied in order).</summary>
    public static FileTree Filesystem(Image image, string scratch) => FileTree.FromLayers(image.Layers, scratch);

    public static string Text(LayerEntry entry)
    {
        using var stream = entry.Content!.OpenRead();
        return new StreamReader(stream).ReadToEnd();
    }
}
