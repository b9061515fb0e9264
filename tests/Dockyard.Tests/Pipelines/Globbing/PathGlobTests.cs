using Dockyard.Diagnostics;
using Dockyard.Pipelines.Globbing;

namespace Dockyard.Tests.Pipelines.Globbing;

public class PathGlobTests
{
    [Theory]
    [InlineData("*.yml", "a.yml", true)]
    [InlineData("*.yml", "dir/a.yml", false)]
    [InlineData("*.yml", ".hidden.yml", true)]
    [InlineData("**/*.yml", "a.yml", true)]
    [InlineData("**/*.yml", "a/b/c.yml", true)]
    [InlineData("**/*.yml", ".ci/c.yml", true)]
    [InlineData("src/**/*.cs", "src/a.cs", true)]
    [InlineData("src/**/*.cs", "src/x/y/a.cs", true)]
    [InlineData("src/**/*.cs", "other/src/a.cs", false)]
    [InlineData("src/**", "src/a", true)]
    [InlineData("src/**", "src/a/b", false)] // '**' not followed by '/' is '*' in fnmatch
    [InlineData("src/*", "src/a/b", false)]
    [InlineData("/Dockerfile", "Dockerfile", true)]
    [InlineData("Dockerfile", "/Dockerfile", true)]
    [InlineData("Dockerfile", "dockerfile", false)]
    [InlineData("file?.txt", "file1.txt", true)]
    [InlineData("file?.txt", "file10.txt", false)]
    [InlineData("a?b", "a/b", false)]
    [InlineData("[abc].txt", "b.txt", true)]
    [InlineData("[abc].txt", "d.txt", false)]
    [InlineData("[!abc].txt", "d.txt", true)]
    [InlineData("[^abc].txt", "a.txt", false)]
    [InlineData("[a-c]x", "bx", true)]
    [InlineData("a[!x]b", "a/b", false)]
    [InlineData("a[%-0]b", "a/b", false)] // a range spanning '/' still never matches '/'
    [InlineData("*.{yml,yaml}", "a.yaml", true)]
    [InlineData("*.{yml,yaml}", "a.json", false)]
    [InlineData("{src,test/{unit,e2e}}/*.js", "test/e2e/a.js", true)]
    [InlineData("{src,test/{unit,e2e}}/*.js", "test/other/a.js", false)]
    [InlineData("**/{package.json,yarn.lock}", "web/yarn.lock", true)]
    [InlineData("a{b", "a{b", false)] // Ruby: an unclosed brace matches nothing
    [InlineData("{**/a.txt,b}", "x/y/a.txt", true)]
    [InlineData("{**/a.txt,b}", "a.txt", true)]
    [InlineData("{x,**/a.txt}", "x/a.txt", true)]
    [InlineData("q{**/a.txt,b}", "qz/a.txt", true)] // expands to q**/a.txt: "**" mid-segment is "*"
    [InlineData("q{**/a.txt,b}", "qz/y/a.txt", false)]
    [InlineData("\\*.txt", "*.txt", true)]
    [InlineData("\\*.txt", "a.txt", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("[.txt", "[.txt", false)] // Ruby: an unclosed bracket matches nothing
    [InlineData("(x)+.txt", "(x)+.txt", true)]
    public void File_match_follows_ruby_fnmatch(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathGlob.Compile(pattern).IsMatch(path));

    [Theory]
    [InlineData("configs/*.yml", "configs/a.yml", true)]
    [InlineData("configs/*.yml", "configs/sub/a.yml", false)]
    [InlineData("configs/**.yml", "configs/sub/deep/a.yml", true)]
    [InlineData("configs/**.yml", "configs/a.yml", true)]
    [InlineData("configs/**/*.yml", "configs/sub/a.yml", true)]
    [InlineData("configs/**/*.yml", "configs/a.yml", false)]
    [InlineData("configs/?.yml", "configs/a.yml", false)]
    [InlineData("configs/{a,b}.yml", "configs/{a,b}.yml", true)]
    public void Include_wildcards_follow_gitlab(string pattern, string path, bool expected) =>
        Assert.Equal(expected, PathGlob.Compile(pattern, PathGlobSyntax.IncludeWildcard).IsMatch(path));

    [Fact]
    public void Empty_pattern_is_a_clear_error()
    {
        var error = Assert.Throws<DockyardException>(() => PathGlob.Compile("/"));
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Exposes_the_literal_base_directory()
    {
        Assert.Equal("src/app", PathGlob.Compile("src/app/**/*.cs").BaseDirectory);
        Assert.Equal("", PathGlob.Compile("**/*.cs").BaseDirectory);
        Assert.True(PathGlob.Compile("/ci/build.yml").IsLiteral);
        Assert.False(PathGlob.Compile("ci/*.yml").IsLiteral);
    }

    [Fact]
    public void Enumerates_sorted_matching_files_and_skips_git()
    {
        var root = Path.Combine(Path.GetTempPath(), "dockyard-glob-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in new[] { "b.yml", "a.yml", "ci/x.yml", "ci/deep/y.yaml", ".git/config.yml", "sub/.git/z.yml", ".ci/h.yml", "ci/readme.md" })
            {
                var full = Path.Combine(root, file);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, "x");
            }

            Assert.Equal(["a.yml", "b.yml"], PathGlob.Enumerate(root, "*.yml"));
            Assert.Equal([".ci/h.yml", "a.yml", "b.yml", "ci/deep/y.yaml", "ci/x.yml"], PathGlob.Enumerate(root, "**/*.{yml,yaml}"));
            Assert.Equal(["ci/deep/y.yaml", "ci/x.yml"], PathGlob.Enumerate(root, "/ci/**/*.y*ml"));
            Assert.Equal(["ci/readme.md"], PathGlob.Enumerate(root, "ci/readme.md"));
            Assert.Empty(PathGlob.Enumerate(root, "ci/missing.md"));
            Assert.Empty(PathGlob.Enumerate(root, "nowhere/*.yml"));
            Assert.Empty(PathGlob.Enumerate(root, "../*"));
            Assert.Equal(["ci/deep/y.yaml", "ci/x.yml"], PathGlob.Enumerate(root, "ci/**.y*ml", PathGlobSyntax.IncludeWildcard));

            // A symbolic link back to the root is not followed (no loop, no duplicates).
            Directory.CreateSymbolicLink(Path.Combine(root, "ci", "loop"), root);
            Assert.Equal(["ci/deep/y.yaml", "ci/x.yml"], PathGlob.Enumerate(root, "ci/**/*.y*ml"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
