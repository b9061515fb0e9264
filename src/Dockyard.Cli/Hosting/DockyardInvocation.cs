namespace Dockyard.Cli.Hosting;

/// <summary>How to start this same dockyard again (for the shims of a job): the apphost, or <c>dotnet path/dockyard.dll</c>.</summary>
public static class DockyardInvocation
{
    /// <summary>The argv prefix that runs this dockyard: <c>[…/dockyard]</c>, or <c>[…/dotnet, …/dockyard.dll]</c> when started through the dotnet host.</summary>
    public static IReadOnlyList<string> Current()
    {
        var process = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(DockyardInvocation).Assembly.Location;
        return Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase) && assembly.Length > 0
            ? [process, assembly]
            : [process];
    }
}
