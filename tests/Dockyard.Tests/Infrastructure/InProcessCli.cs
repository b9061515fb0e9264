using Dockyard.Cli;

namespace Dockyard.Tests.Infrastructure;

/// <summary>The <c>dockyard</c> command line run in this process (its real entry point), with its output captured.</summary>
internal static class InProcessCli
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
