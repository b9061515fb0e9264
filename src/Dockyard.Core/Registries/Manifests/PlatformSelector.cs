using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Registries.Manifests;

/// <summary>Picks the entry of an index for a platform, like containerd's default matcher (arm64's variant defaults to v8).</summary>
public static class PlatformSelector
{
    /// <summary>The entry for <paramref name="platform"/>, preferring an exact variant match.</summary>
    /// <exception cref="DockyardException">No entry matches; the message lists the platforms offered.</exception>
    public static Descriptor Select(ImageIndex index, Platform platform, string where)
    {
        var candidates = index.Manifests.Where(m => m.Platform is { } p && Matches(p.ToPlatform(), platform) && MediaTypes.IsManifest(m.MediaType)).ToList();
        var exact = candidates.FirstOrDefault(m => NormalizedVariant(m.Platform!.ToPlatform()) == NormalizedVariant(platform));
        var chosen = exact ?? candidates.FirstOrDefault();
        if (chosen is not null) return chosen;
        var offered = string.Join(", ", index.Manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToPlatform().ToString()).Distinct());
        throw new DockyardException($"{where} has no image for platform {platform}; it offers: {(offered.Length == 0 ? "none" : offered)}. Choose one of those platforms, or copy every platform.");
    }

    /// <summary>Whether an index platform satisfies the wanted one (same OS and architecture; variant if the wanted one names it).</summary>
    public static bool Matches(Platform offered, Platform wanted) =>
        string.Equals(offered.Os, wanted.Os, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(offered.Architecture, wanted.Architecture, StringComparison.OrdinalIgnoreCase) &&
        (wanted.Variant is null || NormalizedVariant(offered) == NormalizedVariant(wanted));

    private static string? NormalizedVariant(Platform p) =>
        p.Architecture == "arm64" && p.Variant is null or "v8" ? "v8" : p.Variant?.ToLowerInvariant();
}
