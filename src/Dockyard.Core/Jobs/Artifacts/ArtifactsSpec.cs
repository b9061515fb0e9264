using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Jobs.Artifacts;

/// <summary>A job's <c>artifacts:</c>: paths, exclude, untracked, when and the dotenv reports.</summary>
public sealed record ArtifactsSpec(IReadOnlyList<string> Paths, IReadOnlyList<string> Exclude, bool Untracked, string When, IReadOnlyList<string> Dotenv)
{
    /// <summary>No artifacts.</summary>
    public static readonly ArtifactsSpec None = new([], [], false, "on_success", []);

    /// <summary>True when the job uploads anything.</summary>
    public bool IsEmpty => Paths.Count == 0 && !Untracked && Dotenv.Count == 0;

    /// <summary>Whether artifacts are kept for a job that ended <paramref name="succeeded"/>.</summary>
    public bool AppliesTo(bool succeeded) => When == "always" || (When == "on_success") == succeeded;

    /// <summary>Reads the <c>artifacts</c> hash of a resolved job (null: none).</summary>
    public static ArtifactsSpec Read(YamlNode? node)
    {
        if (node is null || node is YamlScalar { IsNull: true }) return None;
        if (node is not YamlMapping hash) throw new SourceException(node.Location, $"artifacts is {node.KindName}", "write artifacts as a hash with paths:");
        var reports = hash["reports"] as YamlMapping;
        var when = YamlValues.String(hash["when"]) ?? "on_success";
        if (when is not ("on_success" or "on_failure" or "always"))
            throw new SourceException(hash["when"]!.Location, $"artifacts:when '{when}' is unknown", "use on_success, on_failure or always");
        return new ArtifactsSpec(YamlValues.Strings(hash["paths"]), YamlValues.Strings(hash["exclude"]),
            YamlValues.Boolean(hash["untracked"]) ?? false, when, YamlValues.Strings(reports?["dotenv"]));
    }
}
