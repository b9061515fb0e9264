using Dockyard.Diagnostics;
using Dockyard.Pipelines.Rules;
using Dockyard.Pipelines.Variables;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Pipelines.Variables;

/// <summary>The git calls of the pipeline readers through the process runner: a hanging git is killed, a lingering child does not hang.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GitCallTests : IDisposable
{
    private readonly TempDirectory _dir = new("gitcall");

    public void Dispose() => _dir.Dispose();

    private string FakeGit(string body)
    {
        var path = _dir.WriteFile("bin/git", "#!/bin/sh\n" + body + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Fact]
    public void A_hanging_git_is_killed_after_the_timeout_and_named()
    {
        var pidFile = _dir.Combine("git.pid");
        var git = FakeGit($"echo $$ > '{pidFile}'\nexec sleep 300");
        var error = Assert.Throws<DockyardException>(() =>
            new GitChangedFiles(_dir.Path, "0123abc", git, TimeSpan.FromSeconds(1)).Against(null));
        Assert.Contains("git -c core.quotepath=off diff --name-only --no-renames 0123abc --", error.Message);
        Assert.Contains("did not finish within 1 s", error.Message);
        Assert.Contains(_dir.Path, error.Message);
        Assert.True(ProcessProbe.WaitUntilGone(int.Parse(File.ReadAllText(pidFile).Trim())), "git still runs");
    }

    [Fact]
    public void A_hanging_git_stops_the_predefined_variables_with_an_error()
    {
        var git = FakeGit("exec sleep 300");
        var error = Assert.Throws<DockyardException>(() => new GitRepositoryReader(git, _dir.Path, TimeSpan.FromSeconds(1)).Read());
        Assert.Contains("did not finish within 1 s", error.Message);
    }

    [Fact]
    public void A_git_whose_background_child_keeps_stdout_open_still_answers()
    {
        var pidFile = _dir.Combine("child.pid");
        var git = FakeGit($"sleep 300 &\necho $! >> '{pidFile}'\nprintf 'src/a.cs\\nREADME.md\\n'");
        try
        {
            var files = new GitChangedFiles(_dir.Path, null, git, TimeSpan.FromMinutes(2)).Against(new CompareTo("v1.0", new SourceLocation(".gitlab-ci.yml", 3, 17)));
            Assert.Equal(["src/a.cs", "README.md"], files);
        }
        finally
        {
            // One background child per git call (rev-parse, merge-base, diff).
            foreach (var pid in File.ReadAllLines(pidFile).Where(l => l.Length > 0).Select(int.Parse))
                if (ProcessProbe.IsRunning(pid)) System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public void A_missing_git_means_outside_a_repository()
    {
        Assert.Null(new GitRepositoryReader(_dir.Combine("no-git"), _dir.Path).Read());
        Assert.Null(new GitChangedFiles(_dir.Path, "0123abc", _dir.Combine("no-git")).Against(null)); // no list of changed paths: changes is true
    }
}
