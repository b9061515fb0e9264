namespace Dockyard.Processes;

/// <summary>
/// Finds a program the way a shell does: a name with a directory part is taken as is, a bare name is searched on
/// PATH (on Windows also with <c>.exe</c> and <c>.cmd</c>). The one PATH lookup of Dockyard.
/// </summary>
internal static class ExecutableLookup
{
    /// <summary>The full path of <paramref name="executable"/>, or <c>null</c> when it is not an executable file.</summary>
    /// <param name="executable">A path, or a bare program name.</param>
    /// <param name="pathVariable">The PATH to search (the host's, or the one the program will see).</param>
    public static string? Find(string executable, string pathVariable)
    {
        if (executable.Length == 0) return null;
        if (executable.Contains('/', StringComparison.Ordinal) || (OperatingSystem.IsWindows() && executable.Contains('\\', StringComparison.Ordinal)))
        {
            return IsExecutable(executable) ? Path.GetFullPath(executable) : null;
        }

        string[] names = OperatingSystem.IsWindows() ? [executable + ".exe", executable + ".cmd", executable] : [executable];
        return pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .Where(IsExecutable)
            .Select(Path.GetFullPath)
            .FirstOrDefault();
    }

    private static bool IsExecutable(string file)
    {
        if (!File.Exists(file)) return false;
        if (OperatingSystem.IsWindows()) return true;
        return (File.GetUnixFileMode(file) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
