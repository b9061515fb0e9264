using Dockyard.Pipelines.Variables;

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

    /// <summary>The names of the file variables (their <see cref="Variables"/> value is the file's path).</summary>
    internal IReadOnlySet<string> Files { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="text"/> with its <c>$VAR</c>/<c>${VAR}</c> references replaced by these (already expanded)
    /// values, as the runner's <c>ExpandValue</c> does: an undefined variable is empty, a file variable gives its path.
    /// </summary>
    internal string Expand(string text) =>
        VariableExpander.ExpandRecursive(text, name => Variables.TryGetValue(name, out var value) ? new VariableValue(value, IsRaw: true) : null);

    /// <summary>
    /// A variable's value as the runner's <c>Value</c> gives it (what it reads <c>DOCKER_AUTH_CONFIG</c> with): a file
    /// variable's content rather than its path; null when the job has no such variable.
    /// </summary>
    internal string? ValueOf(string name) =>
        !Variables.TryGetValue(name, out var value) ? null
        : Files.Contains(name) && File.Exists(value) ? File.ReadAllText(value)
        : value;
}
