namespace Dockyard.Processes;

/// <summary>
/// A temporary directory only the current user can enter (0700), for credentials handed to a tool
/// (a <c>DOCKER_CONFIG</c>, an auth file); deleted with everything in it on dispose.
/// </summary>
internal sealed class PrivateDirectory : IDisposable
{
    private PrivateDirectory(string path) => Path = path;

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>Creates <c>$TMPDIR/dockyard-&lt;purpose&gt;-&lt;random&gt;</c>.</summary>
    public static PrivateDirectory Create(string purpose)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dockyard-{purpose}-{Guid.NewGuid():N}");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return new PrivateDirectory(path);
    }

    /// <summary>Writes a file readable and writable by the current user only (0600).</summary>
    public string WriteSecretFile(string name, string content)
    {
        var file = System.IO.Path.Combine(Path, name);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(file, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        return file;
    }

    /// <summary>Deletes the directory and its contents.</summary>
    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
