namespace Dockyard.Dockerfiles.Ignore;

/// <summary>What a build context entry is.</summary>
public enum BuildContextEntryKind
{
    /// <summary>A regular file.</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (not followed).</summary>
    Symlink,
}

/// <summary>One file, directory or symlink of the build context that survives <c>.dockerignore</c>.</summary>
/// <param name="Path">'/'-separated path relative to the context root.</param>
/// <param name="FullPath">The absolute path on disk.</param>
/// <param name="Kind">File, directory or symlink.</param>
public sealed record BuildContextEntry(string Path, string FullPath, BuildContextEntryKind Kind);
