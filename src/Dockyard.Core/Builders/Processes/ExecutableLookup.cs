namespace Dockyard.Builders.Processes;

/// <summary>Finds a program the way a shell does: a path is taken as is, a bare name is searched on PATH.</summary>
internal static class ExecutableLookup
{
    /// <summary>The full path of <paramref name="executable"/>, or <c>null</c> when it is not an executable file.</summary>
    public static string? Find(string executable, string? pathVariable = null)
    {
        if (executable.Contains('/', StringComparison.Ordinal)) return IsExecutable(executable) ? Path.GetFullPath(executable) : null;
        var path = pathVariable ?? Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, executable))
            .FirstOrDefault(IsExecutable);
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
