namespace Dockyard.Diagnostics;

/// <summary>
/// A setting that a message asks the user to change, named neutrally; each front maps it to its own spelling
/// (<c>--publish-dir</c> in the CLI, <c>PublishDir</c> in MSBuild, <c>PublishDirectory</c> in Cake).
/// </summary>
public enum Setting
{
    /// <summary>The build context directory.</summary>
    Context,
    /// <summary>The Dockerfile path.</summary>
    Dockerfile,
    /// <summary>The stage to build.</summary>
    Target,
    /// <summary>A build argument.</summary>
    BuildArgument,
    /// <summary>An image tag (REGISTRY/REPOSITORY:TAG).</summary>
    Tag,
    /// <summary>A target platform.</summary>
    Platform,
    /// <summary>Where the image goes (local store, registry, a file or directory).</summary>
    Output,
    /// <summary>Which backend builds (auto, native, docker, buildah).</summary>
    Backend,
    /// <summary>The output directory of <c>dotnet publish</c>.</summary>
    PublishDirectory,
    /// <summary>The project the publish directory was built from.</summary>
    PublishProject,
    /// <summary>The base image of an image built from a publish directory.</summary>
    BaseImage,
    /// <summary>A registry that may be reached over plain HTTP.</summary>
    InsecureRegistry,
    /// <summary>Explicit registry credentials.</summary>
    Credentials,
    /// <summary>The pipeline file.</summary>
    PipelineFile,
    /// <summary>A pipeline variable.</summary>
    Variable,
    /// <summary>The layer cache directory.</summary>
    CacheDirectory,
    /// <summary>The kind of push a pipeline simulates (new, update, update=BASE).</summary>
    PushKind,
    /// <summary>The simulated <c>CI_PIPELINE_SOURCE</c>.</summary>
    PipelineSource,
    /// <summary>The target branch of a simulated merge request pipeline.</summary>
    MergeRequestTarget,
    /// <summary>The registry layer cache a build reads (cache-from) or writes (cache-to).</summary>
    LayerCache,
}
