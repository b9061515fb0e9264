namespace Dockyard.Cake.Images;

/// <summary>Options of <c>DockyardPublishImage</c>: the SDK's <c>Container*</c> properties a publish usually gets on its command line.</summary>
public sealed class DockyardPublishSettings
{
    /// <summary>The configuration (default <c>Release</c>).</summary>
    public string Configuration { get; set; } = "Release";

    /// <summary><c>ContainerRegistry</c>: the registry to push to (default: as the project says; locally, the local image store).</summary>
    public string? ContainerRegistry { get; set; }

    /// <summary><c>ContainerRepository</c>.</summary>
    public string? ContainerRepository { get; set; }

    /// <summary><c>ContainerImageTags</c>.</summary>
    public string[] ContainerImageTags { get; set; } = [];

    /// <summary>Other MSBuild properties, as <c>-p:NAME=VALUE</c> (never a secret: they are on a command line).</summary>
    public IDictionary<string, string> Properties { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Fluent setters for <see cref="DockyardPublishSettings"/>.</summary>
public static class DockyardPublishSettingsExtensions
{
    /// <summary>Sets <see cref="DockyardPublishSettings.ContainerRegistry"/>.</summary>
    public static DockyardPublishSettings WithRegistry(this DockyardPublishSettings settings, string registry)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ContainerRegistry = registry;
        return settings;
    }

    /// <summary>Adds a tag to <see cref="DockyardPublishSettings.ContainerImageTags"/>.</summary>
    public static DockyardPublishSettings WithTag(this DockyardPublishSettings settings, string tag)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.ContainerImageTags = [.. settings.ContainerImageTags, tag];
        return settings;
    }

    /// <summary>Sets the registry layer cache's repository (the <c>DockyardCacheRepository</c> property).</summary>
    public static DockyardPublishSettings WithCacheRepository(this DockyardPublishSettings settings, string repository) =>
        settings.WithProperty("DockyardCacheRepository", repository);

    /// <summary>Sets an MSBuild property.</summary>
    public static DockyardPublishSettings WithProperty(this DockyardPublishSettings settings, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Properties[name] = value;
        return settings;
    }
}

/// <summary>What <c>DockyardPublishImage</c> published.</summary>
/// <param name="Digest">The image's digest.</param>
/// <param name="Tags">The tags written.</param>
/// <param name="References">The full names written.</param>
public sealed record DockyardPublishResult(string? Digest, IReadOnlyList<string> Tags, IReadOnlyList<string> References);
