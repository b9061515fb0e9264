namespace Dockyard.Tests.Infrastructure;

/// <summary>A fresh directory under the system temp folder, deleted (recursively) on dispose.</summary>
public sealed class TempDirectory : IDisposable
{
    /// <summary>Creates <c>$TMPDIR/dockyard-tests/&lt;prefix&gt;-&lt;random&gt;</c>.</summary>
    public TempDirectory(string prefix = "t")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "dockyard-tests", $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The directory.</summary>
    public string Path { get; }

    /// <summary>A path inside the directory.</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="content"/> to <paramref name="relative"/> (creating directories), with an optional Unix mode; returns the full path.</summary>
    public string WriteFile(string relative, string content = "x", UnixFileMode? mode = null)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is not null && !OperatingSystem.IsWindows()) File.SetUnixFileMode(full, mode.Value);
        return full;
    }

    /// <summary>Deletes the directory; failures (a process still holding a file) are ignored.</summary>
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
