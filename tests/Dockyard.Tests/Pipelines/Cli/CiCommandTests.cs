using System.Text.Json;
using Dockyard.Cli;

namespace Dockyard.Tests.Pipelines.Cli;

public class CiCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => Infrastructure.InProcessCli.Run(args);

    private static PipelineFixture Project() => new PipelineFixture("""
        stages: [build, deploy]
        build:
          stage: build
          script: [make]
        deploy:
          stage: deploy
          needs: [build]
          rules:
            - if: $TARGET == "prod"
              when: manual
          script: [ship]
        """);

    [Fact]
    public void List_prints_a_table()
    {
        using var f = Project();
        var (code, stdout, stderr) = Run("ci", "list", "--cwd", f.Directory);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("build", stdout);
        Assert.Matches(@"deploy\s+deploy\s+never", stdout);
    }

    [Fact]
    public void List_json_with_variables()
    {
        using var f = Project();
        var (code, stdout, _) = Run("ci", "list", "--json", "--cwd", f.Directory, "--variable", "TARGET=prod", "--variable", "OTHER=x=y");
        Assert.Equal(0, code);
        var jobs = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("manual", jobs[1].GetProperty("when").GetString());
        Assert.False(jobs[1].GetProperty("allow_failure").GetBoolean());
    }

    [Fact]
    public void Preview_prints_yaml()
    {
        using var f = Project();
        var (code, stdout, _) = Run("ci", "preview", "--cwd", f.Directory);
        Assert.Equal(0, code);
        Assert.StartsWith("stages:", stdout.TrimStart('-', '\n', ' '));
        Assert.Contains("- .pre", stdout);
    }

    [Fact]
    public void File_option_picks_another_pipeline()
    {
        using var f = new PipelineFixture();
        f.Write("ci/other.yml", "other:\n  script: [x]\n");
        var (code, stdout, _) = Run("ci", "list", "--cwd", f.Directory, "--file", "ci/other.yml");
        Assert.Equal(0, code);
        Assert.Contains("other", stdout);
    }

    [Fact]
    public void Lint_reports_warnings_and_success()
    {
        using var f = new PipelineFixture("image: alpine\njob:\n  script: [x]\n");
        var (code, stdout, stderr) = Run("ci", "lint", "--cwd", f.Directory);
        Assert.Equal(0, code);
        Assert.Contains("valid", stdout);
        Assert.Contains(".gitlab-ci.yml:1:1: warning:", stderr);
    }

    [Fact]
    public void Errors_print_the_location_without_a_stack_trace_and_exit_1()
    {
        using var f = new PipelineFixture("job:\n  stage: nope\n  script: [x]\n");
        foreach (var command in new[] { "list", "preview", "lint" })
        {
            var (code, stdout, stderr) = Run("ci", command, "--cwd", f.Directory);
            Assert.Equal(1, code);
            Assert.Equal("", stdout);
            Assert.StartsWith("error DY1000: .gitlab-ci.yml:2:10: ", stderr);
            Assert.DoesNotContain("   at ", stderr);
        }
    }

    [Fact]
    public void Bad_variable_syntax_is_an_error()
    {
        using var f = Project();
        var (code, _, stderr) = Run("ci", "list", "--cwd", f.Directory, "--variable", "NOEQUALS");
        Assert.Equal(1, code);
        Assert.Contains("NAME=VALUE", stderr);
    }

    [Fact]
    public void Help_is_available_on_every_command()
    {
        foreach (var args in new[] { new[] { "ci", "--help" }, ["ci", "list", "--help"], ["ci", "preview", "--help"], ["ci", "lint", "--help"] })
        {
            var (code, stdout, _) = Run(args);
            Assert.Equal(0, code);
            Assert.Contains("Usage:", stdout);
        }
        Assert.Contains("--variable", Run("ci", "list", "--help").Out);
    }

    [Fact]
    public void The_readme_sample_lists_outside_a_git_repository()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Extensions.sln"))) root = Path.GetDirectoryName(root)!;
        using var copy = new PipelineFixture(File.ReadAllText(Path.Combine(root, "samples/webapp/.gitlab-ci.yml")));
        var (code, stdout, stderr) = Run("ci", "list", "--json", "--cwd", copy.Directory);
        Assert.True(code == 0, stderr);
        var names = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(j => j.GetProperty("name").GetString()).ToList();
        Assert.Equal(["build-image", "unit-tests 1/2", "unit-tests 2/2", "smoke", "deploy"], names);
    }
}
