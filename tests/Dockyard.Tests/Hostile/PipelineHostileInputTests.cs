using System.Diagnostics;
using System.Text;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// Hostile <c>.gitlab-ci.yml</c> files through the real CLI (<c>dockyard ci lint</c>): YAML bombs, deep nesting, huge
/// files, malformed flow YAML, <c>!reference</c> fan-out and includes that leave the project each end with one
/// <c>error DY1000</c> line naming file:line:column, exit 1, within the safety bound.
/// </summary>
public sealed class PipelineHostileInputTests : IDisposable
{
    private readonly HostileCli _cli = new();
    private readonly TempDirectory _project = new("hostile-project");

    public void Dispose()
    {
        _cli.Dispose();
        _project.Dispose();
    }

    private Task<HostileRun> LintAsync(string pipeline)
    {
        _project.WriteFile(".gitlab-ci.yml", pipeline);
        return _cli.RunAsync(["ci", "lint", "--cwd", _project.Path]);
    }

    [Fact]
    public async Task A_billion_laughs_alias_bomb_is_refused_as_too_big()
    {
        var yaml = new StringBuilder("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i <= 10; i++)
            yaml.Append($"l{i}: &l{i} [{string.Join(", ", Enumerable.Repeat($"*l{i - 1}", 10))}]\n");
        yaml.Append("job:\n  script: *l10\n");

        var run = await LintAsync(yaml.ToString());

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:");
        Assert.Contains("The parsed YAML is too big", run.StandardError);
        Assert.Contains("aliases expanded", run.StandardError);
    }

    [Fact]
    public async Task Twenty_thousand_nested_brackets_are_refused_at_depth_100_without_a_crash()
    {
        var run = await LintAsync("job: " + new string('[', 20_000) + "\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:1:");
        Assert.Contains("deeper than 100 levels", run.StandardError);
    }

    [Fact]
    public async Task A_file_over_1_MiB_is_refused_before_parsing()
    {
        var yaml = new StringBuilder("job:\n  script:\n");
        while (yaml.Length <= 1024 * 1024 + 10) yaml.Append("    - echo 0123456789012345678901234567890123456789\n");

        var run = await LintAsync(yaml.ToString());

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:1:1: the file is");
        Assert.Contains("limit of 1 MiB", run.StandardError);
    }

    [Theory]
    [InlineData("job:\n  script: [echo\n", ".gitlab-ci.yml:3:1: invalid YAML")]
    [InlineData("job: {script: [echo]\n", ".gitlab-ci.yml:2:1: invalid YAML")]
    [InlineData("job: {script: [echo], x\n", "invalid YAML")]
    [InlineData("[a, b", "invalid YAML")]
    [InlineData("{", "invalid YAML")]
    [InlineData("job:\n  script: ]\n", "invalid YAML")]
    public async Task Malformed_flow_YAML_is_a_located_error(string pipeline, string expected)
    {
        var run = await LintAsync(pipeline);

        HostileCli.AssertRefused(run, expected);
        Assert.StartsWith("error DY1000: .gitlab-ci.yml:", run.StandardError.Trim());
    }

    [Fact]
    public async Task A_reference_fan_out_is_refused_at_the_expansion_limit()
    {
        var yaml = new StringBuilder(".l0:\n  s: [x]\n");
        for (int i = 1; i <= 6; i++)
            yaml.Append($".l{i}:\n  s:\n{string.Concat(Enumerable.Repeat($"    - !reference [.l{i - 1}, s]\n", 10))}");
        yaml.Append("job:\n  script: !reference [.l6, s]\n");

        var run = await LintAsync(yaml.ToString());

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:");
        Assert.Contains("!reference values to expand", run.StandardError);
    }

    [Fact]
    public async Task A_local_include_symlinked_outside_the_project_is_refused_naming_the_include()
    {
        File.CreateSymbolicLink(_project.Combine("p.yml"), "/etc/passwd");

        var run = await LintAsync("include: p.yml\njob:\n  script: [x]\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:1:10: include local 'p.yml' resolves (through a symbolic link) outside the project");
    }

    [Fact]
    public async Task A_local_include_through_a_symlinked_directory_outside_the_project_is_refused()
    {
        using var outside = new TempDirectory("hostile-outside");
        outside.WriteFile("ci/build.yml", "build:\n  script: [x]\n");
        File.CreateSymbolicLink(_project.Combine("shared"), outside.Path);

        var run = await LintAsync("include:\n  - local: shared/ci/build.yml\njob:\n  script: [x]\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:2:12: include local 'shared/ci/build.yml' resolves");
    }

    [Fact]
    public async Task A_local_include_symlinked_inside_the_project_is_read()
    {
        _project.WriteFile("ci/real.yml", "build:\n  script: [x]\n");
        File.CreateSymbolicLink(_project.Combine("ci", "link.yml"), "real.yml");

        var run = await LintAsync("include: ci/link.yml\njob:\n  script: [x]\n");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("valid (2 jobs", run.StandardOutput);
    }

    [Fact]
    public async Task A_FIFO_include_is_refused_without_being_opened()
    {
        using (var mkfifo = Process.Start("mkfifo", [_project.Combine("pipe.yml")])) await mkfifo.WaitForExitAsync();
        Assert.True(File.Exists(_project.Combine("pipe.yml")), "mkfifo did not create the FIFO");

        var run = await LintAsync("job:\n  script: [x]\ninclude: pipe.yml\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:3:10: include 'pipe.yml' is a FIFO (named pipe), not a regular file");
    }

    [Fact]
    public async Task A_character_device_include_is_refused_without_being_read()
    {
        using (var mknod = Process.Start("mknod", [_project.Combine("zero.yml"), "c", "1", "5"])) await mknod.WaitForExitAsync();
        Assert.True(File.Exists(_project.Combine("zero.yml")), "mknod did not create the device (the tests run as root)");

        var run = await LintAsync("include:\n  - local: zero.yml\njob:\n  script: [x]\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:2:5: include 'zero.yml' is a character device, not a regular file");
    }

    [Fact]
    public async Task A_local_include_linked_to_dev_zero_is_refused_as_leaving_the_project()
    {
        File.CreateSymbolicLink(_project.Combine("z.yml"), "/dev/zero");

        var run = await LintAsync("include: z.yml\njob:\n  script: [x]\n");

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:1:10: include local 'z.yml' resolves (through a symbolic link) outside the project");
    }

    private Task<HostileRun> LintWithCacheAsync(string pipeline, TempDirectory cache)
    {
        _project.WriteFile(".gitlab-ci.yml", pipeline);
        return _cli.RunAsync(["ci", "lint", "--cwd", _project.Path, "--include-cache", cache.Path]);
    }

    [Theory]
    [InlineData("include:\n  - template: ../../../../../../../../etc/passwd\n", "2:15: include template '../../../../../../../../etc/passwd' leaves the include cache")]
    [InlineData("include:\n  - project: ../../../../../../../../etc\n    file: passwd\n", "include project '../../../../../../../../etc/passwd' leaves the include cache")]
    [InlineData("include:\n  - project: group/app\n    ref: ../../../../../../../../../etc\n    file: passwd\n", "leaves the include cache")]
    [InlineData("include:\n  - component: host/../../../../../../../../etc/x@v1\n", "2:16: include component 'host/../../../../../../../../etc/x@v1' leaves the include cache")]
    public async Task A_cache_include_that_leaves_the_include_cache_is_refused_naming_the_include(string includes, string expected)
    {
        using var cache = new TempDirectory("hostile-cache");
        cache.WriteFile("templates/ok.yml", "ok:\n  script: [x]\n");

        var run = await LintWithCacheAsync(includes + "job:\n  script: [x]\n", cache);

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:");
        Assert.Contains(expected, run.StandardError);
    }

    [Theory]
    [InlineData("templates/t.yml", "include:\n  - template: t.yml\n", "include template 't.yml' resolves (through a symbolic link) outside the include cache")]
    [InlineData("projects/group/app/HEAD/ci.yml", "include:\n  - project: group/app\n    file: ci.yml\n", "include project 'group/app/ci.yml' resolves (through a symbolic link) outside")]
    [InlineData("remote/example.com/ci.yml", "include:\n  - remote: https://example.com/ci.yml\n", "include remote 'https://example.com/ci.yml' resolves (through a symbolic link) outside")]
    public async Task A_cache_include_linked_outside_the_include_cache_is_refused(string linkPath, string includes, string expected)
    {
        using var cache = new TempDirectory("hostile-cache");
        using var outside = new TempDirectory("hostile-outside");
        outside.WriteFile("secret.yml", "stolen:\n  script: [x]\n");
        var link = cache.Combine(linkPath.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, outside.Combine("secret.yml"));

        var run = await LintWithCacheAsync(includes + "job:\n  script: [x]\n", cache);

        HostileCli.AssertRefused(run, "error DY1000: .gitlab-ci.yml:");
        Assert.Contains(expected, run.StandardError);
        Assert.DoesNotContain("stolen", run.StandardOutput + run.StandardError);
    }

    [Fact]
    public async Task A_cache_include_inside_the_cache_is_still_read()
    {
        using var cache = new TempDirectory("hostile-cache");
        cache.WriteFile("templates/ok.yml", "ok:\n  script: [x]\n");

        var run = await LintWithCacheAsync("include:\n  - template: ok.yml\njob:\n  script: [x]\n", cache);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("valid (2 jobs", run.StandardOutput);
    }
}
