using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Ignore;

namespace Dockyard.Tests.Dockerfiles;

public class DockerIgnoreTests
{
    private static bool Excluded(string patterns, string path) => DockerIgnore.Parse(patterns).IsExcluded(path);

    /// <summary>moby/patternmatcher's own single-pattern cases (pattern, path, excluded).</summary>
    [Theory]
    [InlineData("**", "file", true)]
    [InlineData("**", "file/", true)]
    [InlineData("**/", "file", true)]
    [InlineData("**/", "file/", true)]
    [InlineData("**", "dir/file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("dir/**", "dir/file", true)]
    [InlineData("dir/**", "dir/dir2/file", true)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**file", "file", true)]
    [InlineData("**file", "dir/file", true)]
    [InlineData("**/file", "dir/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**/file", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file", true)]
    [InlineData("**/file*", "dir/dir/file.txt", true)]
    [InlineData("**/file*txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/file*.txt*", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt", "dir/dir/file.txt", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("**/*.txt", "file.txt", true)]
    [InlineData("**/**/*.txt", "file.txt", true)]
    [InlineData("a**/*.txt", "a/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/file.txt", true)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt", "a/file.txt", true)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("a[b-d]e", "ae", false)]
    [InlineData("a[b-d]e", "ace", true)]
    [InlineData("a[b-d]e", "aae", false)]
    [InlineData("a[^b-d]e", "aze", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcdef", false)]
    [InlineData("abc.def", "abc.def", true)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("abc?def", "abcZdef", true)]
    [InlineData("abc?def", "abcdef", false)]
    [InlineData(@"a\\", @"a\", true)]
    [InlineData("**/foo/bar", "foo/bar", true)]
    [InlineData("**/foo/bar", "dir/foo/bar", true)]
    [InlineData("**/foo/bar", "dir/dir2/foo/bar", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def", true)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData("**/.foo", ".foo", true)]
    [InlineData("**/.foo", "bar.foo", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a(b)c/def", "a(b)c/xyz", false)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    public void Patternmatcher_cases(string pattern, string path, bool excluded) => Assert.Equal(excluded, Excluded(pattern, path));

    /// <summary>The examples of docker's .dockerignore documentation.</summary>
    [Theory]
    [InlineData("*/temp*", "somedir/temporary.txt", true)]
    [InlineData("*/temp*", "somedir/temp", true)]
    [InlineData("*/temp*", "somedir/temp/inner.txt", true)]
    [InlineData("*/temp*", "temporary.txt", false)]
    [InlineData("*/*/temp*", "somedir/subdir/temporary.txt", true)]
    [InlineData("*/*/temp*", "somedir/temporary.txt", false)]
    [InlineData("temp?", "tempa", true)]
    [InlineData("temp?", "tempab", false)]
    [InlineData("**/*.go", "main.go", true)]
    [InlineData("**/*.go", "cmd/tool/main.go", true)]
    public void Documented_examples(string pattern, string path, bool excluded) => Assert.Equal(excluded, Excluded(pattern, path));

    [Fact]
    public void Last_matching_line_wins_with_exceptions()
    {
        var readmesButSecret = DockerIgnore.Parse("*.md\n!README*.md\nREADME-secret.md\n");
        Assert.True(readmesButSecret.IsExcluded("CHANGELOG.md"));
        Assert.False(readmesButSecret.IsExcluded("README.md"));
        Assert.True(readmesButSecret.IsExcluded("README-secret.md"));
        var allReadmes = DockerIgnore.Parse("*.md\nREADME-secret.md\n!README*.md\n");
        Assert.False(allReadmes.IsExcluded("README-secret.md"));
    }

    [Fact]
    public void Parent_directory_exclusion_and_reinclusion()
    {
        var ignore = DockerIgnore.Parse("bin\nobj/\n!bin/keep.txt\n");
        Assert.True(ignore.IsExcluded("bin"));
        Assert.True(ignore.IsExcluded("bin/Debug/app.dll"));
        Assert.False(ignore.IsExcluded("bin/keep.txt"));
        Assert.True(ignore.IsExcluded("obj/project.assets.json"));
        Assert.False(ignore.IsExcluded("src/bin/app.dll"));
        Assert.False(ignore.IsExcluded("binary"));
    }

    [Fact]
    public void Lines_are_cleaned_like_docker()
    {
        var ignore = DockerIgnore.Parse("# comment\n   \n/root-file  \n./dir//sub/\n  !  /root-file  \n a/../b \n # not a comment\n");
        Assert.Equal(["root-file", "dir/sub", "root-file", "b", "# not a comment"], ignore.Patterns.Select(p => p.Pattern));
        Assert.Equal([false, false, true, false, false], ignore.Patterns.Select(p => p.IsException));
        Assert.Equal([3, 4, 5, 6, 7], ignore.Patterns.Select(p => p.Line));
        Assert.False(ignore.IsExcluded("root-file"));
        Assert.True(ignore.IsExcluded("dir/sub/x"));
        Assert.True(ignore.IsExcluded("b"));
    }

    [Fact]
    public void Escaped_special_characters_match_literally()
    {
        Assert.True(Excluded(@"\#notes", "#notes"));
        Assert.True(Excluded(@"\!important", "!important"));
        Assert.True(Excluded(@"star\*", "star*"));
        Assert.False(Excluded(@"star\*", "starry"));
    }

    [Fact]
    public void Invalid_pattern_fails_with_its_line()
    {
        var error = Assert.Throws<SourceException>(() => DockerIgnore.Parse("ok\n[unclosed\n", ".dockerignore"));
        Assert.Equal(new SourceLocation(".dockerignore", 2, 1), error.Location);
        Assert.Contains("'[unclosed'", error.Message);
    }
}
