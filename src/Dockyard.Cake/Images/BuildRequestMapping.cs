using Dockyard.Builders;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.UseCases.Build;

namespace Dockyard.Cake.Images;

/// <summary>Maps <see cref="DockyardBuildSettings"/> onto the core's <see cref="ImageBuildRequest"/>.</summary>
internal static class BuildRequestMapping
{
    public static ImageBuildRequest ToRequest(DockyardBuildSettings settings, string path, IReadOnlyList<ExplicitCredential> credentials) => new()
    {
        ContextDirectory = path,
        Dockerfile = settings.File,
        Target = settings.Target,
        BuildArguments = settings.BuildArg,
        Labels = settings.Label.Select(Label).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
        Tags = settings.Tag,
        Platforms = settings.Platform.Select(Dockyard.Images.Platform.Parse).ToList(),
        Destination = Destination(settings),
        PublishDirectory = settings.PublishDirectory,
        PublishProject = settings.PublishProject,
        Backend = Enum.TryParse<BackendKind>(settings.Backend, ignoreCase: true, out var kind) ? kind
            : throw new DockyardException($"DockyardBuildSettings.Backend '{settings.Backend}': write auto, native, docker or buildah."),
        Credentials = credentials,
        CacheFrom = settings.CacheFrom,
        CacheTo = settings.CacheTo,
    };

    /// <summary><see cref="DockyardBuildSettings.Output"/> through the core's parser (as <c>dockyard build --output</c>), else <see cref="DockyardBuildSettings.Push"/>.</summary>
    private static ImageDestination Destination(DockyardBuildSettings settings)
    {
        var outputs = settings.Output ?? [];
        if (outputs.Length > 1)
            throw new DockyardException($"DockyardBuildSettings.Output has {outputs.Length} entries ({string.Join("; ", outputs)}); a build writes one output: give one.");
        if (outputs.Length == 0) return settings.Push ? ImageDestination.Push : ImageDestination.LocalStore;
        if (settings.Push)
            throw new DockyardException($"DockyardBuildSettings.Push and Output ({outputs[0]}) both say where the image goes; give one of them (type=registry is Push).");
        return BuildOutput.Parse(outputs[0]).ToDestination();
    }

    private static KeyValuePair<string, string> Label(string text) =>
        text.IndexOf('=') is var at and > 0 ? new(text[..at], text[(at + 1)..])
        : throw new DockyardException($"DockyardBuildSettings.Label '{text}': write key=value.");
}
