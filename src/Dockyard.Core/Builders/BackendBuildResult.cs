using Dockyard.Images;
using Dockyard.Registries.References;

namespace Dockyard.Builders;

/// <summary>What a container backend built and where it put it.</summary>
/// <param name="Backend">The backend that built the image.</param>
/// <param name="Tags">The image's tags.</param>
/// <param name="Pushed">The tags pushed, each with the manifest digest the registry received (empty for a local image).</param>
public sealed record BackendBuildResult(BackendKind Backend, IReadOnlyList<ImageReference> Tags, IReadOnlyList<PushedTag> Pushed);

/// <summary>One pushed tag.</summary>
/// <param name="Reference">The tag.</param>
/// <param name="Digest">The digest of the manifest the tool pushed, when it reported one.</param>
public sealed record PushedTag(ImageReference Reference, Digest? Digest);
