using Dockyard.Diagnostics;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Whether a job with services gets its own network: GitLab Runner's feature flag <c>FF_NETWORK_PER_BUILD</c>, read
/// from the job's variables (as the runner reads feature flags) with Go's <c>strconv.ParseBool</c> spellings. Unlike
/// the runner (whose default is the legacy container links, which Dockyard does not have) absent means on;
/// <c>false</c> puts the job's containers on the host network.
/// </summary>
internal static class NetworkPerBuild
{
    /// <summary>The variable.</summary>
    public const string Variable = "FF_NETWORK_PER_BUILD";

    /// <summary>Whether <paramref name="variables"/> ask for a network per job (absent or empty: yes).</summary>
    public static bool Read(IReadOnlyDictionary<string, string> variables, string jobName)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!variables.TryGetValue(Variable, out var text) || text.Length == 0) return true;
        return text switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => throw new DockyardException($"job {jobName}: {Variable} '{text}' is not true or false. Set it to false to run the job's containers on the host network, or remove it.") { Subject = Variable },
        };
    }
}
