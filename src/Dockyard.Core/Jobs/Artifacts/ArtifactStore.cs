using System.Text.Json;
using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs.Artifacts;

/// <summary>
/// The artifacts of finished jobs: files under <c>.dockyard/artifacts/&lt;job&gt;/</c>, dotenv variables in
/// <c>&lt;job&gt;.dotenv.json</c> beside them. A job's artifacts are replaced as a whole (written aside, then
/// renamed), so an interrupted run leaves the previous ones intact.
/// </summary>
public sealed class ArtifactStore(DockyardLayout layout)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Stores <paramref name="files"/> of <paramref name="jobDirectory"/> and the dotenv variables as job <paramref name="slug"/>'s artifacts.</summary>
    public void Save(string slug, string jobDirectory, IReadOnlyList<string> files, IReadOnlyList<KeyValuePair<string, string>> dotenv)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(dotenv);
        Directory.CreateDirectory(layout.Artifacts);
        var final = Path.Combine(layout.Artifacts, slug);
        var partial = final + ".partial";
        var old = final + ".old";
        BuildDirectory.DeleteTree(partial);
        Directory.CreateDirectory(partial);
        foreach (var file in files) FileCopy.CopyEntry(jobDirectory, partial, file);
        BuildDirectory.DeleteTree(old);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Directory.Move(partial, final);
        BuildDirectory.DeleteTree(old);
        var dotenvPath = final + ".dotenv.json";
        var temporary = dotenvPath + ".partial";
        File.WriteAllText(temporary, JsonSerializer.Serialize(dotenv.ToDictionary(p => p.Key, p => p.Value), Json));
        File.Move(temporary, dotenvPath, overwrite: true);
    }

    /// <summary>Removes job <paramref name="slug"/>'s artifacts (a job that ran and kept none).</summary>
    public void Remove(string slug)
    {
        var final = Path.Combine(layout.Artifacts, slug);
        BuildDirectory.DeleteTree(final);
        if (File.Exists(final + ".dotenv.json")) File.Delete(final + ".dotenv.json");
    }

    /// <summary>True when job <paramref name="slug"/> has stored artifacts.</summary>
    public bool Exists(string slug) => Directory.Exists(Path.Combine(layout.Artifacts, slug));

    /// <summary>
    /// The stored artifact file <paramref name="relative"/> of job <paramref name="slug"/> (a regular file inside its
    /// artifacts), or null when there is none.
    /// </summary>
    public string? FileOf(string slug, string relative)
    {
        ArgumentNullException.ThrowIfNull(relative);
        var root = Path.GetFullPath(Path.Combine(layout.Artifacts, slug));
        var path = Path.GetFullPath(Path.Combine(root, relative.TrimStart('/')));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return null;
        var info = new FileInfo(path);
        return info.Exists && info.LinkTarget is null ? path : null;
    }

    /// <summary>Copies job <paramref name="slug"/>'s files into <paramref name="target"/>; returns the number of files.</summary>
    public int CopyTo(string slug, string target)
    {
        var root = Path.Combine(layout.Artifacts, slug);
        var entries = FileCopy.EnumerateEntries(root);
        foreach (var entry in entries) FileCopy.CopyEntry(root, target, entry);
        return entries.Count(e => !e.EndsWith('/'));
    }

    /// <summary>Job <paramref name="slug"/>'s dotenv variables (empty when none).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Dotenv(string slug)
    {
        var path = Path.Combine(layout.Artifacts, slug + ".dotenv.json");
        if (!File.Exists(path)) return [];
        return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))?.ToList() ?? [];
    }
}
