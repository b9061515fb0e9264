using Cake.Core;
using Cake.Core.Annotations;
using Dockyard.Cake.Hosting;
using Dockyard.Cake.Images;
using Dockyard.Images.Locations;
using Dockyard.UseCases;
using Dockyard.UseCases.Build;

namespace Dockyard.Cake.Aliases;

/// <summary>Build, push, tag, copy and inspect images, shaped like <c>Cake.Docker</c>'s aliases; no Docker daemon needed.</summary>
[CakeAliasCategory("Dockyard")]
[CakeNamespaceImport("Dockyard.Cake.Images")]
public static class DockyardImageAliases
{
    /// <summary>Builds the Dockerfile at <paramref name="path"/> into the local image store, or with <c>Push</c> to the tags' registries.</summary>
    /// <example><code>DockyardBuild(new DockyardBuildSettings { Tag = ["registry.example.com/app:1.0"], Push = true }, ".");</code></example>
    [CakeMethodAlias]
    public static DockyardBuildResult DockyardBuild(this ICakeContext context, DockyardBuildSettings settings, string path)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Pull) context.Log.Write(global::Cake.Core.Diagnostics.Verbosity.Normal, global::Cake.Core.Diagnostics.LogLevel.Information, "Dockyard: Pull accepted; base images always come from their registry (local:NAME reads the local store).");
        if (settings.NoCache) context.Log.Write(global::Cake.Core.Diagnostics.Verbosity.Normal, global::Cake.Core.Diagnostics.LogLevel.Information, "Dockyard: NoCache accepted; layers are reused only by their inputs' digests, which gives the same image.");
        return CakeCall.Run(context, async (host, session, cancellationToken) =>
        {
            var result = await ImageBuild.RunAsync(host, BuildRequestMapping.ToRequest(settings, path, session.Credentials), cancellationToken);
            return new DockyardBuildResult(result.Digest?.ToString(), result.Tags, result.UploadedBytes, result.Backend?.ToString().ToLowerInvariant() ?? "none");
        });
    }

    /// <summary>
    /// <c>dotnet publish -p:PublishImage=true</c> of <paramref name="project"/> (which references Dockyard.MSBuild): the
    /// app and its image, as the project's Dockerfile or <c>Container*</c> properties say; logins of this script reach it.
    /// </summary>
    /// <example><code>var image = DockyardPublishImage("src/Shop.Api/Shop.Api.csproj", new DockyardPublishSettings().WithRegistry("registry.example.com").WithTag("1.0"));</code></example>
    [CakeMethodAlias]
    public static DockyardPublishResult DockyardPublishImage(this ICakeContext context, string project, DockyardPublishSettings? settings = null)
    {
        settings ??= new DockyardPublishSettings();
        return CakeCall.Run(context, async (host, session, cancellationToken) =>
        {
            var result = await Dockyard.UseCases.ProjectImages.ProjectPublish.RunAsync(host, new Dockyard.UseCases.ProjectImages.ProjectPublishRequest
            {
                Project = project, Configuration = settings.Configuration, Registry = settings.ContainerRegistry, Repository = settings.ContainerRepository,
                Tags = settings.ContainerImageTags, Properties = new Dictionary<string, string>(settings.Properties, StringComparer.OrdinalIgnoreCase),
            }, cancellationToken);
            return new DockyardPublishResult(result.Digest, result.Tags, result.References);
        });
    }

    /// <summary>Pushes an image of the local store to its registry.</summary>
    /// <example><code>DockyardPush("registry.example.com/app:1.0");</code></example>
    [CakeMethodAlias]
    public static void DockyardPush(this ICakeContext context, string reference) => Copy(context, "local:" + reference, reference);

    /// <summary>Adds <paramref name="target"/> as a name of the local image <paramref name="source"/>.</summary>
    /// <example><code>DockyardTag("app:1.0", "registry.example.com/app:latest");</code></example>
    [CakeMethodAlias]
    public static void DockyardTag(this ICakeContext context, string source, string target) => Copy(context, "local:" + source, "local:" + target);

    /// <summary>Copies an image between any two locations (registries, <c>oci:</c>, archives, <c>local:</c>), all platforms.</summary>
    /// <example><code>DockyardCopyImage("registry.example.com/app:1.0", "registry.example.com/release/app:1.0");</code></example>
    [CakeMethodAlias]
    public static ImageCopyResult DockyardCopyImage(this ICakeContext context, string source, string destination) => Copy(context, source, destination);

    /// <summary>Reads an image's manifest(s) and config.</summary>
    /// <example><code>var image = DockyardInspectImage("registry.example.com/app:1.0"); Information(image.Digest);</code></example>
    [CakeMethodAlias]
    public static ImageInspectResult DockyardInspectImage(this ICakeContext context, string reference) =>
        CakeCall.Run(context, (host, session, cancellationToken) => ImageInspect.RunAsync(host, new ImageInspectRequest { Image = reference, Connection = Connection(session) }, cancellationToken));

    private static ImageCopyResult Copy(ICakeContext context, string source, string destination) =>
        CakeCall.Run(context, (host, session, cancellationToken) => ImageCopy.RunAsync(host, new ImageCopyRequest { Source = source, Destination = destination, AllPlatforms = true, Connection = Connection(session) }, cancellationToken));

    private static RegistryConnection Connection(DockyardSession session) => new() { Credentials = session.Credentials };
}
