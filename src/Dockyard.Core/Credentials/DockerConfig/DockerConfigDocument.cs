namespace Dockyard.Credentials.DockerConfig;

/// <summary>The credential part of a docker <c>config.json</c> (or podman <c>auth.json</c>, or legacy <c>.dockercfg</c>).</summary>
/// <param name="Origin">Where it was read from, for messages.</param>
/// <param name="Auths">The <c>auths</c> entries, in file order.</param>
/// <param name="CredsStore">The helper suffix used for every registry, or <c>null</c>.</param>
/// <param name="CredHelpers">Per-registry helper suffixes.</param>
internal sealed record DockerConfigDocument(
    string Origin,
    IReadOnlyList<DockerAuthEntry> Auths,
    string? CredsStore,
    IReadOnlyDictionary<string, string> CredHelpers);
