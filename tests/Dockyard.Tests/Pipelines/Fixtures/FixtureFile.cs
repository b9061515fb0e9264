namespace Dockyard.Tests.Pipelines.Fixtures;

/// <summary>Locates the fixture files, copied next to the test assembly (see the test project file).</summary>
internal static class FixtureFile
{
    public static string PathOf(string name) => Path.Combine(FixtureDirectory(), name);

    private static string FixtureDirectory() => Path.Combine(AppContext.BaseDirectory, "Pipelines", "Fixtures");

    /// <summary>The tab-separated rows of a fixture, without comment lines.</summary>
    public static IEnumerable<string[]> Rows(string name) =>
        File.ReadLines(PathOf(name)).Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('\t'));
}
