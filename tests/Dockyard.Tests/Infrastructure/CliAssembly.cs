namespace Dockyard.Tests.Infrastructure;

/// <summary>Where the real <c>dockyard</c> CLI assembly is, for tests that start it as a process (<c>dotnet dockyard.dll</c>).</summary>
public static class CliAssembly
{
    /// <summary>
    /// A private copy of the CLI's own build output (<c>src/Dockyard.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;</c>, same
    /// configuration as the tests; the copy next to the tests lacks the CLI's own dependencies), taken while no package is
    /// being packed: the packs of the feed rebuild that directory in place, and a CLI started from it then could read a
    /// half-written <c>dockyard.runtimeconfig.json</c> (seen in CI).
    /// </summary>
    public static string Path { get; } = PrivateCopy(Locate());

    private static string PrivateCopy(string dll)
    {
        var source = System.IO.Path.GetDirectoryName(dll)!;
        if (!File.Exists(dll)) return dll;
        var target = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dockyard-cli-{Environment.ProcessId}");
        PackageFeed.WhileNothingIsPacked(() =>
        {
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);
            foreach (var file in System.IO.Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(source, file));
                System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
                File.Copy(file, copy);
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(copy, File.GetUnixFileMode(file));
            }
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(target, recursive: true); }
            catch (IOException) { /* a CLI still running holds it; the temp directory is the machine's to clean */ }
        };
        return System.IO.Path.Combine(target, System.IO.Path.GetFileName(dll));
    }

    private static string Locate()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var tfm = tests.Name;
        var configuration = tests.Parent!.Name;
        for (var dir = tests; dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "src", "Dockyard.Cli", "bin", configuration, tfm, "dockyard.dll");
            if (File.Exists(candidate)) return candidate;
        }
        return System.IO.Path.Combine(AppContext.BaseDirectory, "dockyard.dll");
    }
}
