using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries;

namespace Dockyard.Builders.Native;

/// <summary>What the native builder needs besides the plan and the context.</summary>
public sealed record NativeBuildOptions
{
    /// <summary>Where layers (built and pulled) are stored.</summary>
    public required LayerCache Cache { get; init; }

    /// <summary>The client base images are pulled with (null: only <c>oci:</c>, <c>docker-archive:</c> and <c>scratch</c> bases).</summary>
    public RegistryClient? Registry { get; init; }

    /// <summary>The local image store <c>FROM local:NAME</c> reads (null: such bases are refused).</summary>
    public Images.Stores.LocalImageStore? LocalStore { get; init; }

    /// <summary>Whether a <c>FROM</c> name the local store holds is taken from it (docker build without <c>--pull</c>).</summary>
    public bool BaseImagesFromLocalStore { get; init; }

    /// <summary>Makes Microsoft's .NET runtime images from this machine's runtime when their registry is unreachable (null: never).</summary>
    public MachineRuntime.MachineRuntimeImages? MachineRuntime { get; init; }

    /// <summary>Where progress lines go (e.g. "pulled X from Y (registries.conf FILE)" for a redirected base image).</summary>
    public IProgress<string>? Log { get; init; }

    /// <summary>The time stamped on layers, history and config (default: <c>SOURCE_DATE_EPOCH</c>, else the fixed epoch).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The compression of new layers (gzip by default).</summary>
    public LayerCompression Compression { get; init; } = LayerCompression.Gzip;

    /// <summary>The manifest format of the result (OCI by default).</summary>
    public ImageFormat Format { get; init; } = ImageFormat.Oci;

    /// <summary>Labels set on the target image's config besides the Dockerfile's own (as <c>docker build --label</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The label naming the base image's manifest digest (the SDK's generated label).</summary>
    internal const string BaseDigestLabelName = "org.opencontainers.image.base.digest";

    /// <summary>Whether the target image gets <see cref="BaseDigestLabelName"/>: the digest its FROM chain's base was resolved to.</summary>
    public bool BaseDigestLabel { get; init; }

    /// <summary>
    /// How a COPY from a publish-directory stage is layered: by default NuGet/runtime dependencies (from the app's
    /// deps.json) in one layer and the app's own files on top, so a code change re-pushes only the small layer;
    /// <see cref="PublishLayeringOptions.SingleLayer"/> keeps one layer.
    /// </summary>
    public PublishLayeringOptions PublishLayering { get; init; } = new();

    /// <summary>Layers registries already hold, asked by diff_id before a new layer is compressed (null: none).</summary>
    internal IRemoteLayerIndex? RemoteLayers { get; init; }
}
