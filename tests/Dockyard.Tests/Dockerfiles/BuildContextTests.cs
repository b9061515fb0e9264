using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Ignore;

namespace Dockyard.Tests.Dockerfiles;

public sealed class BuildContextTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("dockyard-context-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string relative, string content = "x")
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    [Fact]
    public void Enumerates_sorted_relative_paths_without_ignored_entries()
    {
        Write("WebApp/WebApp.csproj");
        Write("WebApp/Program.cs");
        Write("WebApp/bin/Debug/WebApp.dll");
        Write("WebApp/obj/project.assets.json");
        Write("README.md");
        Write("docs/guide.md");
        Write(".git/HEAD");
        Write(".dockerignore", "**/bin\n**/obj\n.git\n*.md\n!README.md\n");
        var entries = BuildContext.Open(_root).Enumerate();
        Assert.Equal([".dockerignore", "README.md", "WebApp", "WebApp/Program.cs", "WebApp/WebApp.csproj", "docs", "docs/guide.md"], entries.Select(e => e.Path));
        // '*.md' only matches at the root: '*' never crosses '/', as in docker.
        Assert.Equal(BuildContextEntryKind.Directory, entries.Single(e => e.Path == "WebApp").Kind);
        Assert.Equal(Path.Combine(_root, "WebApp", "Program.cs"), entries.Single(e => e.Path == "WebApp/Program.cs").FullPath);
    }

    [Fact]
    public void A_file_reincluded_inside_an_excluded_directory_brings_its_parents()
    {
        Write("config/secrets.json");
        Write("config/public/app.json");
        Write(".dockerignore", "config\n!config/public/app.json\n");
        var entries = BuildContext.Open(_root).Enumerate().Select(e => e.Path);
        Assert.Equal([".dockerignore", "config", "config/public", "config/public/app.json"], entries);
    }

    [Fact]
    public void Dockerfile_specific_ignore_file_wins()
    {
        Write("a.txt");
        Write("b.txt");
        Write(".dockerignore", "a.txt\n");
        Write("build/Dockerfile", "FROM scratch");
        Write("build/Dockerfile.dockerignore", "b.txt\n");
        var entries = BuildContext.Open(_root, Path.Combine(_root, "build", "Dockerfile")).Enumerate().Select(e => e.Path);
        Assert.Contains("a.txt", entries);
        Assert.DoesNotContain("b.txt", entries);
    }

    [Fact]
    public void Symlinks_are_listed_not_followed()
    {
        Write("real/file.txt");
        Directory.CreateSymbolicLink(Path.Combine(_root, "link"), Path.Combine(_root, "real"));
        var entries = BuildContext.Open(_root).Enumerate();
        Assert.Equal(BuildContextEntryKind.Symlink, entries.Single(e => e.Path == "link").Kind);
        Assert.DoesNotContain(entries, e => e.Path.StartsWith("link/", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_context_is_a_clear_error()
    {
        var error = Assert.Throws<DockyardException>(() => BuildContext.Open(Path.Combine(_root, "missing")));
        Assert.Contains("is not a directory", error.Message);
    }
}
