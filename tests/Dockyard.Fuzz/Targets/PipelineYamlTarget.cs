using System.Text;
using Dockyard.Pipelines;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// The pipeline loader on a <c>.gitlab-ci.yml</c> of the input's bytes, alone in a temp project directory: YAML
/// (anchors, merge keys, tags), includes, extends, !reference, rules, variables, needs, parallel/matrix.
/// Predefined variables are fixed, so no git runs for them.
/// </summary>
public sealed class PipelineYamlTarget : IFuzzTarget
{
    private static readonly Dictionary<string, string> Predefined = new(StringComparer.Ordinal)
    {
        ["CI_COMMIT_BRANCH"] = "main", ["CI_COMMIT_REF_NAME"] = "main", ["CI_DEFAULT_BRANCH"] = "main",
        ["CI_PIPELINE_SOURCE"] = "push", ["CI_PROJECT_NAME"] = "fuzz", ["CI_PROJECT_PATH"] = "group/fuzz",
    };

    private readonly ScratchDirectory _project = new("yaml");

    /// <inheritdoc />
    public string Name => "yaml";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var project = _project.Path;
        File.WriteAllText(Path.Combine(project, ".gitlab-ci.yml"), Encoding.UTF8.GetString(input));
        PipelineLoader.Load(new PipelineOptions
        {
            ProjectDirectory = project,
            PredefinedVariables = Predefined,
            Environment = new Dictionary<string, string>(),
        });
    }
}
