namespace Dockyard.Tests.Infrastructure;

/// <summary>The fuzz targets' seed corpora in the source tree (<c>tests/Dockyard.Fuzz/corpus/&lt;target&gt;/</c>).</summary>
public static class FuzzCorpus
{
    /// <summary>The corpus root, found above the test assembly's directory.</summary>
    public static string Root { get; } = Locate();

    /// <summary>The bytes of one corpus input, e.g. <c>Input("tar", "overflowing-size")</c>.</summary>
    public static byte[] Input(string target, string name) => File.ReadAllBytes(Path.Combine(Root, target, name));

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Dockyard.Fuzz", "corpus");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/Dockyard.Fuzz/corpus not found above {AppContext.BaseDirectory}");
    }
}
