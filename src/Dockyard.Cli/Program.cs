using System.CommandLine;

namespace Dockyard.Cli;

/// <summary>The <c>dockyard</c> command line.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given output writers (used by tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Dockyard: GitLab CI container jobs as .NET build targets.");
        // Command groups register here, one file each under Commands/.
        root.Subcommands.Add(Commands.AuthCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ImageCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.CiCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.BackendsCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.BuildCommand.Create(stdout, stderr));
        var configuration = new InvocationConfiguration { Output = stdout, Error = stderr };
        return root.Parse(args).Invoke(configuration);
    }
}
