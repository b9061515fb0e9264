namespace Dockyard.MSBuild;

/// <summary>Placeholder until the PublishImage task lands: keeps the task assembly non-empty.</summary>
internal static class PackageMarker
{
}
