namespace Dockyard.Pipelines.Includes;

/// <summary>Where a pipeline file comes from: its path on disk, how to name it in messages, and the project root its local includes resolve against.</summary>
/// <param name="FullPath">The absolute path of the file.</param>
/// <param name="DisplayPath">The name used in messages (relative to the project for local files).</param>
/// <param name="ProjectRoot">The directory that nested <c>local</c> includes resolve against.</param>
/// <param name="ProjectDisplay">How <paramref name="ProjectRoot"/> is named in messages (empty for the user's project).</param>
/// <param name="Component">For a component: the <c>$[[ component.* ]]</c> values (name, version, reference, sha); else null.</param>
/// <param name="Fetched">For a file fetched from a GitLab project: the project and ref its nested <c>local</c> includes are fetched from; else null.</param>
internal sealed record IncludeSource(string FullPath, string DisplayPath, string ProjectRoot, string ProjectDisplay,
    IReadOnlyDictionary<string, string>? Component = null, FetchedProject? Fetched = null);

/// <summary>A GitLab project at a ref, whose files a fetched include's nested <c>local</c> includes are.</summary>
/// <param name="Project">The project's full path (<c>group/app</c>).</param>
/// <param name="Reference">The ref (a component's resolved SHA, or the <c>ref:</c> of a project include).</param>
internal sealed record FetchedProject(string Project, string Reference);
