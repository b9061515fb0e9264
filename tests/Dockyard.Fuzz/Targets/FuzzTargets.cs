namespace Dockyard.Fuzz.Targets;

/// <summary>Every fuzz target, by name.</summary>
public static class FuzzTargets
{
    /// <summary>All targets, in the order build/fuzz.sh runs them.</summary>
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new PipelineYamlTarget(),
        new RuleExpressionTarget(),
        new DockerfileTarget(),
        new ImageReferenceTarget(),
        new AuthChallengeTarget(),
        new TarReaderTarget(),
        new DockerArchiveTarget(),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
