namespace Dockyard.UseCases.ProjectImages;

/// <summary>What <see cref="ProjectPublish"/> published.</summary>
/// <param name="Digest">The image's digest (the index's with several platforms).</param>
/// <param name="Tags">The tags written.</param>
/// <param name="References">The full names written.</param>
public sealed record ProjectPublishResult(string? Digest, IReadOnlyList<string> Tags, IReadOnlyList<string> References);
