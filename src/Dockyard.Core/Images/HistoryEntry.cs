namespace Dockyard.Images;

/// <summary>One entry of an image config's <c>history</c> (OCI image-spec <c>config.md</c>).</summary>
/// <param name="Created">When the step ran (whole seconds in reproducible builds).</param>
/// <param name="CreatedBy">The instruction, in BuildKit's spelling (e.g. <c>COPY app /app # buildkit</c>).</param>
/// <param name="Comment">BuildKit writes <c>buildkit.dockerfile.v0</c>.</param>
/// <param name="EmptyLayer">Whether the step produced no layer (ENV, LABEL, CMD…).</param>
/// <param name="Author">The author, if any.</param>
public sealed record HistoryEntry(DateTimeOffset? Created, string? CreatedBy, string? Comment = null, bool EmptyLayer = false, string? Author = null);
