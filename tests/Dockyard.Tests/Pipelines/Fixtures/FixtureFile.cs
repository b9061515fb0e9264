using System.Runtime.CompilerServices;

namespace Dockyard.Tests.Pipelines.Fixtures;

/// <summary>Locates the fixture files next to this source file (they are not copied to the output).</summary>
internal static class FixtureFile
{
    public static string PathOf(string name) => Path.Combine(FixtureDirectory(), name);

    private static string FixtureDirectory([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;

    /// <summary>The tab-separated rows of a fixture, without comment lines.</summary>
    public static IEnumerable<string[]> Rows(string name) =>
        File.ReadLines(PathOf(name)).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('\t'));
}
