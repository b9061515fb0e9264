using System.Diagnostics;

namespace Dockyard.Tests.Pipelines.Variables;

/// <summary>A throw-away git repository in a temp directory, driven by the real git executable.</summary>
internal sealed class TempGitRepository : IDisposable
{
    public TempGitRepository(string name = "my-project")
    {
        Root = Path.Combine(Path.GetTempPath(), "dockyard-git-" + Guid.NewGuid().ToString("N"));
        Directory = Path.Combine(Root, name);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Root { get; }

    public string Directory { get; }

    public TempGitRepository Init(string branch = "main")
    {
        Git("init", "-q", "-b", branch);
        return this;
    }

    public string Commit(string message, string date = "2024-01-01T00:00:00Z")
    {
        File.WriteAllText(Path.Combine(Directory, "file-" + Guid.NewGuid().ToString("N")), message);
        Git("add", "-A");
        Git(new Dictionary<string, string> { ["GIT_AUTHOR_DATE"] = date, ["GIT_COMMITTER_DATE"] = date },
            "-c", "user.name=Jane Doe", "-c", "user.email=jane@example.com", "commit", "-q", "--no-gpg-sign", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public string Git(params string[] arguments) => Git(new Dictionary<string, string>(), arguments);

    public string Git(Dictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error.Result}");
        }

        return output;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
