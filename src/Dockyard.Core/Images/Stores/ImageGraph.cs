using System.Text.Json;

namespace Dockyard.Images.Stores;

/// <summary>
/// Walks what a manifest or index refers to (nested indexes, manifests, configs, layers; not a referrer's subject) through a
/// function that reads a blob's bytes, or <c>null</c> when the blob is absent.
/// </summary>
internal static class ImageGraph
{
    /// <summary>Every descriptor reachable from <paramref name="top"/>, <paramref name="top"/> first, each digest once.</summary>
    public static IReadOnlyList<Descriptor> Reachable(Descriptor top, Func<Descriptor, byte[]?> read)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<Descriptor>();
        var pending = new Stack<Descriptor>();
        pending.Push(top);
        while (pending.Count > 0)
        {
            var descriptor = pending.Pop();
            if (!seen.Add(descriptor.Digest)) continue;
            found.Add(descriptor);
            foreach (var child in Children(descriptor, read)) pending.Push(child);
        }
        return found;
    }

    /// <summary>The manifest of <paramref name="top"/> for <paramref name="platform"/> (an index: the matching entry, else the first).</summary>
    public static (Descriptor Descriptor, ImageManifest Manifest)? PlatformManifest(Descriptor top, Platform platform, Func<Descriptor, byte[]?> read)
    {
        var current = top;
        for (var depth = 0; depth < 8; depth++)
        {
            if (read(current) is not { } bytes) return null;
            if (MediaTypes.IsIndex(current.MediaType))
            {
                var index = Parse<ImageIndex>(bytes);
                if (index is null || index.Manifests.Count == 0) return null;
                current = index.Manifests.FirstOrDefault(m => m.Platform is { } p && p.Os == platform.Os && p.Architecture == platform.Architecture)
                    ?? index.Manifests.FirstOrDefault(m => m.Platform is not { Os: "unknown" }) ?? index.Manifests[0];
                continue;
            }
            return Parse<ImageManifest>(bytes) is { } manifest ? (current, manifest) : null;
        }
        return null;
    }

    private static IEnumerable<Descriptor> Children(Descriptor descriptor, Func<Descriptor, byte[]?> read)
    {
        if (MediaTypes.IsIndex(descriptor.MediaType))
        {
            if (read(descriptor) is { } bytes && Parse<ImageIndex>(bytes) is { } index) return index.Manifests;
        }
        else if (MediaTypes.IsManifest(descriptor.MediaType))
        {
            if (read(descriptor) is { } bytes && Parse<ImageManifest>(bytes) is { } manifest)
                return [manifest.Config, .. manifest.Layers];
        }
        return [];
    }

    private static T? Parse<T>(byte[] bytes) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(bytes);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
