using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Downstream;
using Dockyard.Pipelines.Triggers;
using Microsoft.Extensions.Logging;

namespace Dockyard.UseCases;

/// <summary>Which pipeline to read and with which variables.</summary>
public sealed record PipelineRequest
{
    /// <summary>The project directory (the checkout); <c>null</c> = the host's working directory.</summary>
    public string? ProjectDirectory { get; init; }

    /// <summary>The pipeline file, relative to the project directory.</summary>
    public string File { get; init; } = ".gitlab-ci.yml";

    /// <summary>Pipeline variables given by the user (highest precedence).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>A directory with project/remote/template/component includes, or <c>null</c>.</summary>
    public string? IncludeCacheDirectory { get; init; }

    /// <summary>Also load what the trigger jobs start (child pipelines, nested ones too).</summary>
    public bool Downstream { get; init; }

    /// <summary>How the pipeline was started (source, kind of push, merge request target, Kubernetes, licensed features).</summary>
    public PipelineTrigger Trigger { get; init; } = PipelineTrigger.Default;

    /// <summary>The GitLab instance non-local includes are fetched from; <c>null</c> = <c>CI_SERVER_URL</c>, if set.</summary>
    public string? GitLabUrl { get; init; }
}

/// <summary>A resolved pipeline and its warnings as diagnostics.</summary>
/// <param name="Pipeline">The jobs, stages and variables, as GitLab would create them.</param>
/// <param name="Warnings">Every warning, with code and location.</param>
public sealed record PipelineResult(Pipeline Pipeline, IReadOnlyList<Diagnostic> Warnings)
{
    /// <summary>What the trigger jobs start, when <see cref="PipelineRequest.Downstream"/> asked for it; else empty.</summary>
    public IReadOnlyList<DownstreamPipeline> Downstream { get; init; } = [];
}

/// <summary>Resolves a <c>.gitlab-ci.yml</c> exactly as GitLab does (includes, extends, rules, needs, variables).</summary>
public static class PipelineResolution
{
    /// <summary>Reads and resolves the pipeline; logs where each fetched include came from and each warning; a bad file is a <see cref="SourceException"/>.</summary>
    public static Task<PipelineResult> RunAsync(HostContext host, PipelineRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        PipelineOptions Options(IReadOnlyDictionary<string, string>? predefined) => new()
        {
            ProjectDirectory = host.FullPath(request.ProjectDirectory ?? "."),
            File = request.File,
            Variables = request.Variables,
            IncludeCacheDirectory = request.IncludeCacheDirectory is { } cache ? host.FullPath(cache) : null,
            GitLabUrl = request.GitLabUrl,
            Environment = host.Variables,
            Trigger = request.Trigger,
            PredefinedVariables = predefined,
        };
        // With child pipelines, git and the environment are read once for the parent and every child.
        var options = Options(null);
        if (request.Downstream) options = Options(PipelineLoader.Predefined(options));
        var pipeline = PipelineLoader.Load(options);
        var downstream = request.Downstream ? DownstreamPipelines.Load(options, pipeline) : [];
        foreach (var origin in pipeline.IncludeOrigins)
            host.Logger.LogInformation(new EventId(1002, "IncludeOrigin"), "{Origin}", origin.ToString());
        var warnings = pipeline.Warnings.Select(w => Diagnostic.Warning(DiagnosticCodes.PipelineWarning, w.Message, w.Location)).ToList();
        foreach (var warning in warnings)
            host.Logger.LogWarning(new EventId(1001, warning.Code), "{Warning}", warning.ToString());
        return Task.FromResult(new PipelineResult(pipeline, warnings) { Downstream = downstream });
    }
}
