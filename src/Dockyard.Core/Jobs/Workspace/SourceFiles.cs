using Dockyard.Jobs.Shell;

namespace Dockyard.Jobs.Workspace;

/// <summary>The files a job's working copy receives: what <c>git ls-files</c> tracks (present in the working tree), else every file.</summary>
public static class SourceFiles
{
    /// <summary>The '/'-relative files of <paramref name="projectDirectory"/>, sorted; <c>.dockyard/</c> never included.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(string projectDirectory, CancellationToken cancellation)
    {
        var listed = await JobProcess.CaptureAsync("git", ["ls-files", "-z", "--cached"], projectDirectory, cancellation).ConfigureAwait(false);
        if (listed is null) return FileCopy.EnumerateFiles(projectDirectory, ".git", ".dockyard");
        var files = listed.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Where(f => !f.StartsWith(".dockyard/", StringComparison.Ordinal))
            .Where(f => { var full = Path.Combine(projectDirectory, f); return File.Exists(full) || new FileInfo(full).LinkTarget is not null; })
            .Distinct(StringComparer.Ordinal).ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
