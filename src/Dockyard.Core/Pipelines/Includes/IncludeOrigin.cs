namespace Dockyard.Pipelines.Includes;

/// <summary>Where a <c>template</c>, <c>project</c>, <c>remote</c> or <c>component</c> include came from.</summary>
/// <param name="Include">The include (<c>template:Jobs/Build.gitlab-ci.yml</c>, <c>project:group/app@v1:ci/x.yml</c>, <c>remote:URL</c>, <c>component:…</c>).</param>
/// <param name="Source">The GitLab instance or remote URL it was fetched from, or the <c>--include-cache</c> directory.</param>
/// <param name="Cached">Whether it was read from a cache instead of fetched now.</param>
/// <param name="Why">Why the cache answered (the instance unreachable, no instance configured), or null.</param>
public sealed record IncludeOrigin(string Include, string Source, bool Cached, string? Why = null)
{
    /// <summary>One line: <c>include project:group/app@v1:ci/x.yml from https://gitlab.example.com (cached: …)</c>.</summary>
    public override string ToString() =>
        $"include {Include} from {Source}" + (!Cached ? "" : Why is null ? " (cached)" : $" (cached: {Why})");
}
