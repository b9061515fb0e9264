using Dockyard.Pipelines.Jobs;
using Dockyard.Pipelines.Variables;

namespace Dockyard.Jobs.Variables;

/// <summary>
/// Builds a job's variables in GitLab's precedence, lowest first: predefined (pipeline, job, runner), the job's YAML
/// variables (global, job, rules, matrix as the pipeline engine merged them), dotenv variables of received artifacts,
/// the variables file (as project variables), <c>--variable</c> (as pipeline variables). The last three are what
/// GitLab sends the runner as non-public (<see cref="JobEnvironment.NonPublic"/>). Inside a real GitLab job
/// (<c>GITLAB_CI=true</c>) the environment's <c>CI_*</c>/<c>GITLAB_*</c> values win over the predefined ones that do
/// not describe the local job. Values are expanded as the runner does; file variables are written to
/// <paramref name="fileDirectory"/> (mode 0600) and hold the path.
/// </summary>
public sealed class JobEnvironmentBuilder(string fileDirectory)
{
    /// <summary>Runner variables that describe the local job and are never taken from the surrounding environment.</summary>
    public static readonly IReadOnlySet<string> LocalJobVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "CI_PROJECT_DIR", "CI_BUILDS_DIR", "CI_JOB_NAME", "CI_JOB_NAME_SLUG", "CI_JOB_STAGE", "CI_JOB_STATUS",
        "CI_JOB_TIMEOUT", "CI_CONCURRENT_ID", "CI_CONCURRENT_PROJECT_ID", "CI_NODE_INDEX", "CI_NODE_TOTAL",
    };

    private readonly Dictionary<string, (VariableValue Value, bool Masked, bool IsFile, bool Public)> _variables = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds the runner's <c>CI_JOB_IMAGE</c>: the job's image name as written, expanded with the job's variables like
    /// a YAML value (the runner puts it first, so every other variable wins over it). Nothing without an image.
    /// </summary>
    internal JobEnvironmentBuilder AddJobImage(string? image)
    {
        if (image is not null) _variables["CI_JOB_IMAGE"] = (new VariableValue(image, IsRaw: false), false, false, true);
        return this;
    }

    /// <summary>Adds predefined (pipeline-level, per-job or runner) variables.</summary>
    public JobEnvironmentBuilder AddPredefined(IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var (name, value) in variables) _variables[name] = (new VariableValue(value, IsRaw: true), false, false, true);
        return this;
    }

    /// <summary>Adds the job's YAML variables.</summary>
    public JobEnvironmentBuilder AddYaml(IReadOnlyDictionary<string, PipelineVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var (name, value) in variables) _variables[name] = (new VariableValue(value.Value, !value.Expand), false, false, true);
        return this;
    }

    /// <summary>Adds dotenv variables (raw, as GitLab stores them).</summary>
    public JobEnvironmentBuilder AddDotenv(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var (name, value) in variables) _variables[name] = (new VariableValue(value, IsRaw: true), false, false, false);
        return this;
    }

    /// <summary>Adds variables given from outside (variables file, <c>--variable</c>).</summary>
    public JobEnvironmentBuilder AddExternal(IEnumerable<JobVariable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var v in variables) _variables[v.Name] = (new VariableValue(v.Value, !v.Expand), v.Masked, v.IsFile, false);
        return this;
    }

    /// <summary>Lets the surrounding GitLab job's own values win (when <paramref name="host"/> has <c>GITLAB_CI=true</c>).</summary>
    public JobEnvironmentBuilder AddSurroundingGitLabJob(IReadOnlyDictionary<string, string> host, IReadOnlySet<string> predefinedNames)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(predefinedNames);
        if (!host.TryGetValue("GITLAB_CI", out var gitlab) || gitlab != "true") return this;
        foreach (var (name, value) in host)
        {
            if (!predefinedNames.Contains(name) || LocalJobVariables.Contains(name)) continue;
            if (_variables.TryGetValue(name, out var existing) && existing.Value.IsRaw && !existing.Masked)
                _variables[name] = (new VariableValue(value, IsRaw: true), false, false, true);
        }

        return this;
    }

    /// <summary>Expands every value, writes the file variables and collects the masked values.</summary>
    public JobEnvironment Build()
    {
        var raw = new Dictionary<string, VariableValue>(_variables.Count, StringComparer.Ordinal);
        foreach (var (name, (value, _, isFile, _)) in _variables)
        {
            if (!isFile)
            {
                raw[name] = value;
                continue;
            }

            Directory.CreateDirectory(fileDirectory);
            var path = Path.Combine(fileDirectory, name);
            File.WriteAllText(path, value.Value);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            raw[name] = new VariableValue(path, IsRaw: true);
        }

        var expanded = VariableExpander.ExpandAll(raw);
        var masked = _variables.Where(e => e.Value.Masked)
            .Select(e => e.Value.IsFile ? e.Value.Value.Value : expanded[e.Key]).ToList();
        var nonPublic = _variables.Where(e => !e.Value.Public).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        var files = _variables.Where(e => e.Value.IsFile).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        return new JobEnvironment(expanded, masked) { NonPublic = nonPublic, Files = files };
    }
}
