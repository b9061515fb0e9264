using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Builders;

/// <summary>What a backend built and where it put it.</summary>
/// <param name="Backend">The backend that built the image.</param>
/// <param name="Tags">The image's tags.</param>
/// <param name="Pushed">The tags pushed, each with the manifest digest the registry received (empty for a local image or returned images).</param>
public sealed record BackendBuildResult(BackendKind Backend, IReadOnlyList<ImageReference> Tags, IReadOnlyList<PushedTag> Pushed)
{
    /// <summary>
    /// The images built, one per platform, when the backend hands them back for the caller to push or write
    /// (<see cref="IImageBuildBackend.ReturnsImages"/>); empty when the tool delivered the image itself.
    /// </summary>
    public IReadOnlyList<Image> Images { get; init; } = [];

    /// <summary>The index over <see cref="Images"/> when there are several platforms.</summary>
    public MultiPlatformImage? Index { get; init; }
}

/// <summary>One pushed tag.</summary>
/// <param name="Reference">The tag.</param>
/// <param name="Digest">The digest of the manifest the tool pushed, when it reported one.</param>
public sealed record PushedTag(ImageReference Reference, Digest? Digest);
