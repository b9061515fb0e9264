using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// The variables of a service container, as GitLab Runner's <c>GetServiceVariables</c>: the job's variables except
/// the non-public ones (variables file, <c>--variable</c>, dotenv; <see cref="JobEnvironment.NonPublic"/>), as the
/// step containers get them, then the service's own <c>variables:</c>, expanded against all of the job's variables
/// (so they may name a non-public one: an explicit opt-in) and each other; a service variable that names itself
/// sees the job's value.
/// </summary>
internal static class ServiceEnvironment
{
    /// <summary>The environment of a service with <paramref name="serviceVariables"/> in a job with <paramref name="job"/>.</summary>
    public static IReadOnlyDictionary<string, string> Of(JobEnvironment job, IReadOnlyDictionary<string, string> serviceVariables)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(serviceVariables);
        var result = job.Variables.Where(p => !job.NonPublic.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, value) in serviceVariables)
        {
            result[name] = VariableExpander.ExpandRecursive(value, reference =>
                reference != name && serviceVariables.TryGetValue(reference, out var own) ? new VariableValue(own)
                : job.Variables.TryGetValue(reference, out var inherited) ? new VariableValue(inherited, IsRaw: true)
                : null);
        }

        return result;
    }
}
