namespace Dockyard.Jobs.Workspace;

/// <summary>
/// A job's working copy: <c>.dockyard/builds/&lt;job&gt;</c> holding the repository's tracked files as they are in the
/// working tree (uncommitted edits count, deleted files are absent; outside git: every file but <c>.git</c> and
/// <c>.dockyard</c>), recreated for every run; or, in place, the checkout itself. Its sibling
/// <c>&lt;job&gt;.tmp</c> holds the step scripts and file variables and is removed when the job ends.
/// </summary>
public sealed class BuildDirectory
{
    private BuildDirectory(string path, string temporary, IReadOnlySet<string> sourceFiles)
    {
        Path = path;
        TemporaryDirectory = temporary;
        SourceFiles = sourceFiles;
    }

    /// <summary>The job's directory (<c>CI_PROJECT_DIR</c>).</summary>
    public string Path { get; }

    /// <summary>The job's private directory for scripts and file variables.</summary>
    public string TemporaryDirectory { get; }

    /// <summary>The '/'-relative paths of the files copied from the checkout (what git tracks); the rest is untracked.</summary>
    public IReadOnlySet<string> SourceFiles { get; }

    /// <summary>Prepares the directory of job <paramref name="slug"/> from <paramref name="trackedFiles"/> of the checkout.</summary>
    public static BuildDirectory Prepare(DockyardLayout layout, string slug, IReadOnlyList<string> trackedFiles, bool inPlace)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(trackedFiles);
        var temporary = System.IO.Path.Combine(layout.Builds, slug + ".tmp");
        DeleteTree(temporary);
        Directory.CreateDirectory(temporary);
        var sources = new HashSet<string>(trackedFiles, StringComparer.Ordinal);
        if (inPlace) return new BuildDirectory(layout.ProjectDirectory, temporary, sources);

        var path = System.IO.Path.Combine(layout.Builds, slug);
        DeleteTree(path);
        Directory.CreateDirectory(path);
        foreach (var relative in trackedFiles) FileCopy.CopyEntry(layout.ProjectDirectory, path, relative);
        return new BuildDirectory(path, temporary, sources);
    }

    /// <summary>Removes the private directory (scripts, file variables).</summary>
    public void RemoveTemporary() => DeleteTree(TemporaryDirectory);

    /// <summary>Deletes a directory tree if it exists (symlinks are removed, not followed).</summary>
    public static void DeleteTree(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null) { info.Delete(); return; }
        if (!info.Exists) return;
        foreach (var child in info.EnumerateFileSystemInfos())
        {
            if (child is DirectoryInfo d && d.LinkTarget is null) DeleteTree(d.FullName);
            else
            {
                if (child is FileInfo { IsReadOnly: true } f) f.IsReadOnly = false;
                child.Delete();
            }
        }

        info.Delete();
    }
}
