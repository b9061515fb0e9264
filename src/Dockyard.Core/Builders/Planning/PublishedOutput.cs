namespace Dockyard.Builders.Planning;

/// <summary>
/// A directory the caller already published (e.g. the MSBuild front's own <c>dotnet publish</c> output), standing for a
/// Dockerfile's <c>RUN dotnet publish ... -o DIR</c>.
/// </summary>
/// <param name="Directory">The publish directory on disk.</param>
/// <param name="Project">The project (or solution) file that was published, e.g. <c>src/Web/Web.csproj</c>.</param>
/// <param name="Configuration">The configuration it was published with, e.g. <c>Release</c>.</param>
/// <param name="RuntimeIdentifier">The runtime identifier, when one was used (e.g. <c>linux-x64</c>).</param>
/// <param name="SelfContained">Whether it is self-contained, when known.</param>
/// <param name="Properties">MSBuild properties it was published with, when known (compared with the RUN line's <c>-p:</c>).</param>
public sealed record PublishedOutput(string Directory, string Project, string Configuration, string? RuntimeIdentifier = null,
    bool? SelfContained = null, IReadOnlyDictionary<string, string>? Properties = null)
{
    /// <summary>The version of this machine's .NET SDK when the builder publishes (or, planning only, would publish) this output itself.</summary>
    public string? SdkVersion { get; init; }

    /// <summary>A remark for the plan about the machine's SDK (e.g. its version differs from the stage's base image tag).</summary>
    public string? SdkNote { get; init; }
}
