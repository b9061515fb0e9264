namespace Dockyard.Diagnostics;

/// <summary>
/// Dockyard's diagnostic codes. Each area has a range; an error without a specific code gets its area's first code,
/// decided by the source folder that threw it. Codes never change meaning once shipped.
/// </summary>
public static class DiagnosticCodes
{
    /// <summary>An error outside any area (a front's own argument checks).</summary>
    public const string General = "DY0001";

    /// <summary>An unexpected failure (a bug): fronts print one line and a hint, exit code 70.</summary>
    public const string Unexpected = "DY0070";

    /// <summary>A <c>.gitlab-ci.yml</c> error (DY1000–DY1999).</summary>
    public const string Pipeline = "DY1000";

    /// <summary>A Dockerfile or <c>.dockerignore</c> error (DY2000–DY2499).</summary>
    public const string Dockerfile = "DY2000";

    /// <summary>A build error: planning, backends, the native builder (DY2500–DY2999).</summary>
    public const string Build = "DY2500";

    /// <summary>A build plan warning (a line that needs a container, an argument without a default).</summary>
    public const string BuildPlanWarning = "DY2501";

    /// <summary>An image, layout or archive error (DY3000–DY3499).</summary>
    public const string Image = "DY3000";

    /// <summary>A layer error (DY3500–DY3999).</summary>
    public const string Layer = "DY3500";

    /// <summary>A registry error (DY4000–DY4499).</summary>
    public const string Registry = "DY4000";

    /// <summary>A credential error (DY4500–DY4999).</summary>
    public const string Credentials = "DY4500";

    /// <summary>A project image error: the SDK's container settings of <c>PublishImage</c> (DY5000–DY5499).</summary>
    public const string ProjectImage = "DY5000";

    /// <summary>A job run error (DY6000–DY6999).</summary>
    public const string Job = "DY6000";

    /// <summary>A job's container command (docker run, a build with RUN) that needs a daemon or tool this machine does not have.</summary>
    public const string ContainerCommandNeedsTool = "DY6100";

    /// <summary>A pipeline warning (unknown variable, deprecated keyword).</summary>
    public const string PipelineWarning = "DY1001";

    private static readonly (string Folder, string Code)[] Areas =
    [
        ("Pipelines", Pipeline), ("Dockerfiles", Dockerfile), ("Builders", Build), ("Images", Image), ("Layers", Layer),
        ("Registries", Registry), ("Credentials", Credentials), ("Jobs", Job),
        ("UseCases/ProjectImages", ProjectImage),
    ];

    /// <summary>The code of the area whose source file is <paramref name="sourcePath"/> (a compile-time caller path).</summary>
    public static string ForArea(string sourcePath)
    {
        var path = sourcePath.Replace('\\', '/');
        var core = path.LastIndexOf("Dockyard.Core/", StringComparison.Ordinal);
        if (core < 0) return General;
        var rest = path.AsSpan(core + "Dockyard.Core/".Length);
        foreach (var (folder, code) in Areas)
            if (rest.StartsWith(folder + "/", StringComparison.Ordinal)) return code;
        return General;
    }
}
