namespace Dockyard.Builders;

/// <summary>The backend chosen for a build and why.</summary>
/// <param name="Kind">Native, docker or buildah (never <see cref="BackendKind.Auto"/>).</param>
/// <param name="Backend">The container backend to build with; <c>null</c> for native.</param>
/// <param name="Reason">Why it was chosen, for <c>--dry-run</c> and logs.</param>
public sealed record BackendSelection(BackendKind Kind, IImageBuildBackend? Backend, string Reason);
