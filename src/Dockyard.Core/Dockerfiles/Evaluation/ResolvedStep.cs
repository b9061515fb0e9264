using System.Collections.Immutable;
using Dockyard.Dockerfiles.Graph;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Dockerfiles.Evaluation;

/// <summary>One instruction of a stage with its variables expanded and the scope it runs in.</summary>
/// <param name="Instruction">The instruction with variables expanded where docker expands them.</param>
/// <param name="Args">The ARG values visible at this instruction (what RUN sees as build arguments).</param>
/// <param name="Env">The ENV values in effect at this instruction (including the base stage's, when known).</param>
/// <param name="Workdir">The working directory in effect when the instruction runs.</param>
public sealed record ResolvedStep(Instruction Instruction, ImmutableDictionary<string, string> Args, ImmutableDictionary<string, string> Env, string Workdir)
{
    /// <summary>Looks a variable up as RUN's shell would see it: ENV first, then ARG.</summary>
    public string? Lookup(string name) => Env.TryGetValue(name, out var env) ? env : Args.TryGetValue(name, out var arg) ? arg : null;
}

/// <summary>A stage with its base resolved and every instruction expanded.</summary>
/// <param name="Stage">The stage as parsed.</param>
/// <param name="Node">Its place in the stage graph (base image or stage, dependencies).</param>
/// <param name="Steps">The instructions in order, expanded.</param>
/// <param name="FinalEnv">The ENV at the end of the stage (inherited by <c>FROM thisStage</c>).</param>
/// <param name="FinalWorkdir">The working directory at the end of the stage.</param>
/// <param name="BaseConfigKnown">False when the base image's ENV/WORKDIR were not supplied (variables it may set look unset).</param>
/// <param name="UndefinedVariables">Variables used without a default that no ARG/ENV (or known base config) sets; they expand to empty.</param>
public sealed record ResolvedStage(Stage Stage, StageNode Node, IReadOnlyList<ResolvedStep> Steps,
    ImmutableDictionary<string, string> FinalEnv, string FinalWorkdir, bool BaseConfigKnown, IReadOnlyList<UndefinedVariable> UndefinedVariables);

/// <summary>A variable used without a default that is not set where it is used (BuildKit's UndefinedVar check).</summary>
/// <param name="Name">The variable.</param>
/// <param name="Location">The instruction that uses it.</param>
public sealed record UndefinedVariable(string Name, Dockyard.Diagnostics.SourceLocation Location);
