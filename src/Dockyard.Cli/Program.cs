using System.CommandLine;
using Dockyard.Cli.Hosting;

namespace Dockyard.Cli;

/// <summary>The <c>dockyard</c> command line.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the process exit code.</summary>
    public static int Main(string[] args) => Run(args, CliContext.ForConsole());

    /// <summary>Runs the command line with the given output writers (used by tests; never interactive).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, new CliContext(stdout, stderr, interactive: false));

    /// <summary>Runs the command line in <paramref name="cli"/>: user errors exit 1, bugs 70, Ctrl+C 130.</summary>
    public static int Run(string[] args, CliContext cli)
    {
        var verbose = new Option<bool>("--verbose") { Description = "Debug output, and the stack trace of an unexpected failure.", Recursive = true };
        var root = new RootCommand("Dockyard: GitLab CI container jobs as .NET build targets.");
        root.Options.Add(verbose);
        // Command groups register here, one file each under Commands/.
        root.Subcommands.Add(Commands.AuthCommand.Create(cli));
        root.Subcommands.Add(Commands.ImageCommand.Create(cli));
        root.Subcommands.Add(Commands.CiCommand.Create(cli));
        root.Subcommands.Add(Commands.BackendsCommand.Create(cli));
        root.Subcommands.Add(Commands.BuildCommand.Create(cli));
        root.Subcommands.Add(Commands.ContainerCommand.Create(cli.Stdout, cli.Stderr));
        // No response files: "@file" is an argument like any other, never a file read behind the user's back.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        cli.Verbose = parse.GetValue(verbose);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = cli.Stdout, Error = cli.Stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception failure)
        {
            return ErrorReport.Write(failure, cli.Stderr, cli.Masker, cli.Verbose);
        }
    }
}
