using Dockyard.Dockerfiles.Evaluation;

namespace Dockyard.Builders.Planning;

/// <summary>What to plan: the target stage, build arguments and platform, and the publish directories the caller has.</summary>
/// <param name="Target">The <c>--target</c> stage, or null for the last stage.</param>
/// <param name="Arguments">Build arguments and platforms (null: none, current platform).</param>
/// <param name="PublishedOutputs">Publish directories that may stand for <c>RUN dotnet publish -o</c> lines.</param>
/// <param name="BaseImages">ENV/WORKDIR of base images when known (null: unknown, treated as empty and <c>/</c>).</param>
public sealed record BuildPlanRequest(string? Target = null, BuildArguments? Arguments = null,
    IReadOnlyList<PublishedOutput>? PublishedOutputs = null, Func<string, ImageDefaults?>? BaseImages = null);
