using Dockyard.Diagnostics;
using Dockyard.Jobs.Artifacts;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Jobs.Docker;

/// <summary>An image's <c>pull_policy</c>: <c>always</c>, <c>if-not-present</c> or <c>never</c> (a list: the first that works).</summary>
internal enum PullPolicy
{
    /// <summary>Pull every time.</summary>
    Always,

    /// <summary>Use the daemon's image, pull when it has none.</summary>
    IfNotPresent,

    /// <summary>Never pull: the daemon must have it.</summary>
    Never,
}

/// <summary>Reads <c>pull_policy</c>.</summary>
internal static class PullPolicies
{
    /// <summary>The policies of <paramref name="image"/>, in order; the runner's default (<c>always</c>) when absent.</summary>
    public static IReadOnlyList<PullPolicy> Read(ContainerImage image)
    {
        var texts = YamlValues.Strings(image.Hash["pull_policy"]);
        if (texts.Count == 0) return [PullPolicy.Always];
        return texts.Select(t => t switch
        {
            "always" => PullPolicy.Always,
            "if-not-present" => PullPolicy.IfNotPresent,
            "never" => PullPolicy.Never,
            _ => throw new DockyardException($"image {image.Name}: pull_policy '{t}' is not one of always, if-not-present, never.") { Subject = image.Name },
        }).ToList();
    }
}
