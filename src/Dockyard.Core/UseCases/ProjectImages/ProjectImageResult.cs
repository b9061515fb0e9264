using Dockyard.Images;
using Dockyard.UseCases.Build;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>What <see cref="ProjectImage"/> built and where it went, and why (for the front's log).</summary>
public sealed record ProjectImageResult
{
    /// <summary>The build's own result (backend, plan, platforms, bytes uploaded).</summary>
    public required ImageBuildResult Build { get; init; }

    /// <summary>The image's digest (the index's with several platforms).</summary>
    public Digest? Digest => Build.Digest;

    /// <summary>The full references written, <c>REGISTRY/REPOSITORY:TAG</c> (or <c>REPOSITORY:TAG</c> for local ones).</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The registry pushed to; <c>null</c> when the image was not pushed.</summary>
    public string? Registry { get; init; }

    /// <summary>The repository.</summary>
    public required string Repository { get; init; }

    /// <summary>The tags (without repository).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The base image used when built without a Dockerfile; <c>null</c> with a Dockerfile.</summary>
    public string? BaseImage { get; init; }

    /// <summary>The Dockerfile built, <c>null</c> when the image was made from the publish output alone.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Lines for the user: where the image went and why, where the tags came from, how to load it.</summary>
    public IReadOnlyList<string> Messages { get; init; } = [];

    /// <summary>The pipeline job whose tags, target and build arguments were taken (<c>NAME (FILE:LINE)</c>), <c>null</c> when none.</summary>
    public string? PipelineJob { get; init; }
}
