namespace Dockyard.Cli.Commands;

/// <summary>Sizes, ages and tables printed the way the docker CLI prints them (the core's <see cref="Images.Stores.DockerOutputStyle"/>).</summary>
public static class DockerStyle
{
    /// <summary>A decimal size with three significant digits: <c>4.26MB</c>, <c>512B</c>.</summary>
    public static string Size(long bytes) => Images.Stores.DockerOutputStyle.Size(bytes);

    /// <summary>How long ago, in docker's words: <c>About a minute ago</c>, <c>3 days ago</c>, <c>55 years ago</c>.</summary>
    public static string Ago(DateTimeOffset time, DateTimeOffset now) => Images.Stores.DockerOutputStyle.Ago(time, now);

    /// <summary>Rows padded into columns like docker's tabwriter (minimum width 10, padding 3; the last column unpadded).</summary>
    public static void WriteTable(TextWriter output, IReadOnlyList<string[]> rows) => Images.Stores.DockerOutputStyle.WriteTable(output, rows);
}
