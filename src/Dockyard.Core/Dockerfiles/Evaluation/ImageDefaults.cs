namespace Dockyard.Dockerfiles.Evaluation;

/// <summary>What a base image contributes to a stage's scope: its ENV and WORKDIR (from its config, when known).</summary>
/// <param name="Env">The base image's environment.</param>
/// <param name="Workdir">The base image's working directory (<c>/</c> when empty).</param>
public sealed record ImageDefaults(IReadOnlyDictionary<string, string> Env, string Workdir)
{
    /// <summary>Nothing known: empty environment, working directory <c>/</c>.</summary>
    public static ImageDefaults Unknown { get; } = new(new Dictionary<string, string>(), "/");
}
