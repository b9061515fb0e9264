namespace Dockyard.Fuzz.Targets;

/// <summary>A directory of this process under the temp directory for a target's files: made on first use, deleted at exit.</summary>
/// <param name="name">What the directory is for (part of its name).</param>
public sealed class ScratchDirectory(string name)
{
    private readonly Lazy<string> _path = new(() =>
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dockyard-fuzz-{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        return directory;
    });

    /// <summary>The directory's full path.</summary>
    public string Path => _path.Value;
}
