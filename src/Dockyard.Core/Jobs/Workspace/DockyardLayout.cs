namespace Dockyard.Jobs.Workspace;

/// <summary>Where a run keeps its state: <c>.dockyard/builds</c>, <c>.dockyard/artifacts</c>, <c>.dockyard/cache</c> under the project.</summary>
/// <param name="ProjectDirectory">The checkout (absolute).</param>
public sealed record DockyardLayout(string ProjectDirectory)
{
    /// <summary><c>.dockyard</c>.</summary>
    public string Root => Path.Combine(ProjectDirectory, ".dockyard");

    /// <summary>The job directories (<c>CI_BUILDS_DIR</c>).</summary>
    public string Builds => Path.Combine(Root, "builds");

    /// <summary>The stored artifacts, one directory per job.</summary>
    public string Artifacts => Path.Combine(Root, "artifacts");

    /// <summary>The caches, one directory per key.</summary>
    public string Cache => Path.Combine(Root, "cache");
}
