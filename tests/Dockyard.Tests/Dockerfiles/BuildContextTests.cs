using Dockyard.Tests.Infrastructure;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Ignore;

namespace Dockyard.Tests.Dockerfiles;

public sealed class BuildContextTests : IDisposable
{
    private readonly TempDirectory _directory = new("dockerfiles");

    private string Root => _directory.Path;

    public void Dispose() => _directory.Dispose();

    private void Write(string relative, string content = "x") => _directory.WriteFile(relative, content);

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
        var entries = BuildContext.Open(Root).Enumerate();
        Assert.Equal([".dockerignore", "README.md", "WebApp", "WebApp/Program.cs", "WebApp/WebApp.csproj", "docs", "docs/guide.md"], entries.Select(e => e.Path));
        // '*.md' only matches at the root: '*' never crosses '/', as in docker.
        Assert.Equal(BuildContextEntryKind.Directory, entries.Single(e => e.Path == "WebApp").Kind);
        Assert.Equal(Path.Combine(Root, "WebApp", "Program.cs"), entries.Single(e => e.Path == "WebApp/Program.cs").FullPath);
    }

    [Fact]
    public void A_file_reincluded_inside_an_excluded_directory_brings_its_parents()
    {
        Write("config/secrets.json");
        Write("config/public/app.json");
        Write(".dockerignore", "config\n!config/public/app.json\n");
        var entries = BuildContext.Open(Root).Enumerate().Select(e => e.Path);
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
        var entries = BuildContext.Open(Root, Path.Combine(Root, "build", "Dockerfile")).Enumerate().Select(e => e.Path);
        Assert.Contains("a.txt", entries);
        Assert.DoesNotContain("b.txt", entries);
    }

    [Fact]
    public void Symlinks_are_listed_not_followed()
    {
        Write("real/file.txt");
        Directory.CreateSymbolicLink(Path.Combine(Root, "link"), Path.Combine(Root, "real"));
        var entries = BuildContext.Open(Root).Enumerate();
        Assert.Equal(BuildContextEntryKind.Symlink, entries.Single(e => e.Path == "link").Kind);
        Assert.DoesNotContain(entries, e => e.Path.StartsWith("link/", StringComparison.Ordinal));
    }

    [Fact]
    public void Missing_context_is_a_clear_error()
    {
        var error = Assert.Throws<DockyardException>(() => BuildContext.Open(Path.Combine(Root, "missing")));
        Assert.Contains("is not a directory", error.Message);
    }
}
