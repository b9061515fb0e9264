using System.Text;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Syntax;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// The Dockerfile parser (directives, continuations, heredocs, flags, every instruction), then its evaluation without
/// build arguments: global ARGs, the stage graph and build order of the last stage, and every stage's instructions
/// expanded with BuildKit's word expansion in docker's ARG/ENV scopes.
/// </summary>
public sealed class DockerfileTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "dockerfile";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var dockerfile = DockerfileParser.Parse(Encoding.UTF8.GetString(input));
        var evaluation = DockerfileEvaluation.Create(dockerfile, BuildArguments.None);
        var order = evaluation.Graph.BuildOrder(evaluation.Graph.Target(null));
        foreach (var stage in order) evaluation.Resolve(stage);
    }
}
