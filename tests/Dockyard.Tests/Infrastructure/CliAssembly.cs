namespace Dockyard.Tests.Infrastructure;

/// <summary>Where the real <c>dockyard</c> CLI assembly is, for tests that start it as a process (<c>dotnet dockyard.dll</c>).</summary>
public static class CliAssembly
{
    /// <summary>
    /// The CLI in its own build output (<c>src/Dockyard.Cli/bin/&lt;configuration&gt;/&lt;tfm&gt;/dockyard.dll</c>, same
    /// configuration as the tests): the copy next to the tests lacks the CLI's own dependencies.
    /// </summary>
    public static string Path { get; } = Locate();

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
