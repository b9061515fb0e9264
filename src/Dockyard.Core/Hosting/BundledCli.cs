namespace Dockyard.Hosting;

/// <summary>
/// The <c>dockyard</c> CLI that a front's package carries (Dockyard.MSBuild: <c>tasks/net10.0/cli/</c>, Dockyard.Cake:
/// <c>cli/</c>), as the argv prefix a job's docker/buildah/podman/kaniko shims run (<c>JobRunOptions.DockyardCommand</c>).
/// </summary>
public static class BundledCli
{
    /// <summary>
    /// <c>[dotnet, dockyardDll]</c> when <paramref name="dockyardDll"/> exists, run by <paramref name="processPath"/> when
    /// that is the dotnet host (the process of MSBuild or Cake), else by <c>dotnet</c> on PATH; null when it does not exist.
    /// </summary>
    public static IReadOnlyList<string>? At(string dockyardDll, string? processPath)
    {
        ArgumentNullException.ThrowIfNull(dockyardDll);
        var full = Path.GetFullPath(dockyardDll);
        if (!File.Exists(full)) return null;
        var dotnet = processPath is not null && Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? processPath : "dotnet";
        return [dotnet, full];
    }
}
