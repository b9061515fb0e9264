using Dockyard.Builders;
using Dockyard.Builders.Planning;
using Dockyard.Images;

namespace Dockyard.UseCases.Build;

/// <summary>What "build an image" did: which backend and why, the plan, the images, and where they went.</summary>
public sealed record ImageBuildResult
{
    /// <summary>The backend that built (native, docker or buildah); <c>null</c> for a plan-only request.</summary>
    public BackendKind? Backend { get; init; }

    /// <summary>Why that backend was chosen.</summary>
    public string? BackendReason { get; init; }

    /// <summary>The plan of the first platform.</summary>
    public required BuildPlan Plan { get; init; }

    /// <summary>One entry per platform built (empty for a plan-only request).</summary>
    public IReadOnlyList<PlatformImage> Images { get; init; } = [];

    /// <summary>The index digest when several platforms were built.</summary>
    public Digest? IndexDigest { get; init; }

    /// <summary>The digest that names the result: the index's, else the only image's manifest (<c>null</c> when the tool did not report it).</summary>
    public Digest? Digest => IndexDigest ?? (Images.Count == 1 ? Images[0].ManifestDigest : null);

    /// <summary>The tags written (pushed, loaded or stored).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Bytes uploaded to registries (blobs and manifests that were not already there); <c>null</c> when the tool does not say.</summary>
    public long? UploadedBytes { get; init; }

    /// <summary>Layers a registry already held (a cache source or the tags' current images), so they were neither compressed nor uploaded.</summary>
    public int LayersFromRegistryCache { get; init; }

    /// <summary>Where the image went, in words (<c>pushed to …</c>, <c>oci-archive:FILE</c>, <c>the Docker daemon</c>).</summary>
    public string? Location { get; init; }
}

/// <summary>One platform's image.</summary>
/// <param name="Platform">The platform.</param>
/// <param name="ManifestDigest">The manifest digest (what a registry calls the image digest), when known.</param>
/// <param name="ConfigDigest">The config digest (the image ID), when known.</param>
/// <param name="Size">Config plus compressed layers, in bytes, when known.</param>
public sealed record PlatformImage(Platform Platform, Digest? ManifestDigest, Digest? ConfigDigest, long? Size);
