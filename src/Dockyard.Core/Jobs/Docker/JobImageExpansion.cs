using Dockyard.Diagnostics;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// The job's <c>image:</c> and <c>services:</c> with their <c>name</c> and <c>alias</c> expanded with the job's
/// variables, as GitLab Runner's <c>expandContainerOptions</c> does before it prepares the job: every variable the job
/// gets (predefined, YAML, dotenv, variables file, <c>--variable</c>; masked and non-public ones too; a file variable
/// gives its path), one pass, an undefined variable is empty. <c>entrypoint</c>, <c>command</c>, <c>docker:user</c>
/// and <c>docker:platform</c> stay as written, as in the runner. A name that is empty after expansion is an error at
/// its place in the YAML. Before the run, <see cref="NameBeforeRun"/> gives the name the executor is chosen by.
/// </summary>
internal static class JobImageExpansion
{
    /// <summary><paramref name="image"/> (the job's <paramref name="keyword"/>: <c>image</c> or <c>services</c>) expanded with <paramref name="environment"/>.</summary>
    public static ContainerImage Expand(ContainerImage image, JobEnvironment environment, string jobName, string keyword)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(environment);
        if (!VariableExpander.ContainsReference(image.Name) && (image.Alias is null || !VariableExpander.ContainsReference(image.Alias))) return image;
        var name = environment.Expand(image.Name);
        if (string.IsNullOrWhiteSpace(name))
        {
            var referenced = new List<string>();
            _ = VariableExpander.Expand(image.Name, reference =>
            {
                referenced.Add(reference);
                return null;
            });
            var location = image.Hash["name"]?.Location ?? image.Hash.Location;
            throw new SourceException(location,
                $"job '{jobName}': the {keyword} name '{image.Name}' is empty after expanding the job's variables ({string.Join(", ", referenced.Distinct(StringComparer.Ordinal).Select(r => r + (environment.Variables.ContainsKey(r) ? " is empty" : " is not set")))}).",
                "Give those variables a value in the job's variables:, the variables file, --variable or a dotenv report of an earlier job, or write the image name.") { Subject = image.Name };
        }

        return image with { Name = name, Alias = image.Alias is null ? null : environment.Expand(image.Alias) };
    }

    /// <summary>
    /// The name of <paramref name="job"/>'s <c>image</c> expanded with what is known before the job runs (predefined,
    /// YAML, variables file and <c>--variable</c>; not dotenv reports of earlier jobs, file variables empty): what
    /// picks its executor (a container-building tool's image runs with the shell executor). Null without an image.
    /// </summary>
    public static string? NameBeforeRun(Job job, IReadOnlyDictionary<string, string> predefined, IEnumerable<JobVariable> external)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Image is not { } image || !VariableExpander.ContainsReference(image.Name)) return job.Image?.Name;
        // No file variable is left to write, so the builder's file directory is never used.
        var known = new JobEnvironmentBuilder(fileDirectory: "")
            .AddPredefined(predefined)
            .AddPredefined(PredefinedVariables.ForJob(job.Name, job.Stage, job.NodeIndex, job.NodeTotal))
            .AddYaml(job.Variables)
            .AddExternal(external.Select(v => v.IsFile ? v with { Value = "", IsFile = false } : v))
            .Build();
        return known.Expand(image.Name);
    }
}
