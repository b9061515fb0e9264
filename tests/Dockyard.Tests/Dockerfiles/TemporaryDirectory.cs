namespace Dockyard.Tests.Dockerfiles;

/// <summary>A temp directory for one test, deleted on dispose, with a helper to write files into it.</summary>
internal sealed class TemporaryDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("dockyard-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/>, creating directories.</summary>
    public string Write(string relative, string content = "x")
    {
        var path = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
