namespace Dockyard.Jobs.Variables;

/// <summary>The variables a job step runs with, and which values its output masks.</summary>
/// <param name="Variables">Every variable, expanded as the runner exports it (file variables hold their file's path).</param>
/// <param name="MaskedValues">The values shown as <c>[MASKED]</c>.</param>
public sealed record JobEnvironment(IReadOnlyDictionary<string, string> Variables, IReadOnlyList<string> MaskedValues)
{
    /// <summary>
    /// The names whose value came from the variables file, <c>--variable</c> or a dotenv report: what GitLab sends the
    /// runner as non-public (project, pipeline and dotenv variables), which the runner does not give service containers.
    /// </summary>
    public IReadOnlySet<string> NonPublic { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
