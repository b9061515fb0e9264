using Dockyard.Registries.Manifests;

namespace Dockyard.Registries.Mirrors;

/// <summary>The top manifest or index of a pull and where it came from.</summary>
/// <param name="Manifest">The manifest or index, digest-verified.</param>
/// <param name="Origin">Where it came from; read the rest of the image from <see cref="PullOrigin.Source"/>.</param>
public sealed record PulledManifest(ManifestContent Manifest, PullOrigin Origin);

/// <summary>A pull resolved to one image manifest (an index narrowed to a platform) and where it came from.</summary>
/// <param name="Index">The index the manifest was chosen from, or <c>null</c>.</param>
/// <param name="Manifest">The image manifest.</param>
/// <param name="Origin">Where both came from; read the blobs from <see cref="PullOrigin.Source"/>.</param>
public sealed record ResolvedPull(ManifestContent? Index, ManifestContent Manifest, PullOrigin Origin);
