using Dockyard.Jobs.Planning;

namespace Dockyard.Tests.Jobs.Planning;

/// <summary>How <c>ci plan</c> finds the commands of a script line (bash still runs the line itself).</summary>
public class ScriptCommandsTests
{
    private static readonly Dictionary<string, string> Variables = new()
    {
        ["PW"] = "s3cret", ["U"] = "ci user", ["R"] = "registry.example:5000", ["IMAGE"] = "registry.example:5000/g/app:1",
    };

    private static (List<string[]> Commands, List<bool> Dynamic, SortedSet<string> Referenced) Split(string line)
    {
        var referenced = new SortedSet<string>(StringComparer.Ordinal);
        var commands = ScriptCommands.Split(line, name => Variables.GetValueOrDefault(name), referenced);
        return (commands.Select(c => c.Words.ToArray()).ToList(), commands.Select(c => c.Dynamic).ToList(), referenced);
    }

    [Fact]
    public void A_pipe_into_a_login_is_two_commands_with_quoted_variables_expanded_as_one_word()
    {
        var (commands, _, referenced) = Split("echo \"$PW\" | docker login -u \"$U\" --password-stdin \"${R}\"");
        Assert.Equal(2, commands.Count);
        Assert.Equal(["echo", "s3cret"], commands[0]);
        Assert.Equal(["docker", "login", "-u", "ci user", "--password-stdin", "registry.example:5000"], commands[1]);
        Assert.Equal(["PW", "R", "U"], referenced);
    }

    [Fact]
    public void Shell_logic_keywords_and_separators_leave_the_commands_of_every_branch()
    {
        var (commands, _, _) = Split("if [[ \"$CI_COMMIT_BRANCH\" == \"main\" ]]; then docker tag \"$IMAGE\" x:latest && docker push x:latest; else echo no; fi");
        Assert.Equal(["[[", "", "==", "main", "]]"], commands[0]);
        Assert.Equal(["docker", "tag", "registry.example:5000/g/app:1", "x:latest"], commands[1]);
        Assert.Equal(["docker", "push", "x:latest"], commands[2]);
        Assert.Equal(["echo", "no"], commands[3]);
        Assert.Equal(4, commands.Count);
    }

    [Theory]
    [InlineData("docker build -t a . > build.log 2>&1", new[] { "docker", "build", "-t", "a", "." })]
    [InlineData("DOCKER_BUILDKIT=1 docker push a:1 # push it", new[] { "docker", "push", "a:1" })]
    [InlineData("echo '$PW' \\$PW", new[] { "echo", "$PW", "$PW" })]
    [InlineData("docker push \"$IMAGE\"<input", new[] { "docker", "push", "registry.example:5000/g/app:1" })]
    public void Redirections_assignments_comments_and_quotes_are_what_bash_makes_of_them(string line, string[] words)
    {
        var (commands, dynamic, _) = Split(line);
        Assert.Equal(words, Assert.Single(commands));
        Assert.False(Assert.Single(dynamic));
    }

    [Theory]
    [InlineData("docker tag a \"registry/app:$(git rev-parse --short HEAD)\"", "registry/app:$(git rev-parse --short HEAD)")]
    [InlineData("docker tag a registry/app:`date +%s`", "registry/app:`date +%s`")]
    [InlineData("docker tag a registry/app:${TAG:-latest}", "registry/app:${TAG:-latest}")]
    public void A_substitution_is_kept_as_written_and_marks_the_command_dynamic(string line, string last)
    {
        var (commands, dynamic, _) = Split(line);
        Assert.Equal(last, Assert.Single(commands)[^1]);
        Assert.True(Assert.Single(dynamic));
    }
}
