namespace Dockyard.Jobs.Workspace;

/// <summary>
/// Where a run keeps its state: <c>.dockyard/builds</c>, <c>.dockyard/artifacts</c>, <c>.dockyard/cache</c> under the
/// project; a child pipeline's builds and artifacts under <c>.dockyard/pipelines/&lt;trigger job&gt;/</c>, its caches shared.
/// </summary>
/// <param name="ProjectDirectory">The checkout (absolute).</param>
public sealed record DockyardLayout(string ProjectDirectory)
{
    /// <summary><c>.dockyard</c> (for a child pipeline, its own directory below it).</summary>
    public string Root { get; init; } = Path.Combine(ProjectDirectory, ".dockyard");

    /// <summary>The layout of the child pipeline that trigger job <paramref name="slug"/> starts: own builds and artifacts, shared caches.</summary>
    public DockyardLayout ForChild(string slug) => this with { Root = Path.Combine(Root, "pipelines", slug) };

    /// <summary>The job directories (<c>CI_BUILDS_DIR</c>).</summary>
    public string Builds => Path.Combine(Root, "builds");

    /// <summary>The stored artifacts, one directory per job.</summary>
    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>The caches, one directory per key (the project's, whichever pipeline runs).</summary>
    public string Cache { get; init; } = Path.Combine(ProjectDirectory, ".dockyard", "cache");
}
