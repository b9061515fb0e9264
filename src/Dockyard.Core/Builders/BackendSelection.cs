namespace Dockyard.Builders;

/// <summary>The backend chosen for a build and why.</summary>
/// <param name="Kind">Native, docker or buildah (never <see cref="BackendKind.Auto"/>).</param>
/// <param name="Backend">The backend to build with (native too).</param>
/// <param name="Reason">Why it was chosen, for plans and logs.</param>
public sealed record BackendSelection(BackendKind Kind, IImageBuildBackend Backend, string Reason);
