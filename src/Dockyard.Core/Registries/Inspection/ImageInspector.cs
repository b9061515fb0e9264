using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Inspection;

/// <summary>Reads a reference's manifest (every platform of an index), configs and layer list.</summary>
public sealed class ImageInspector(RegistryClient client)
{
    /// <summary>Inspects <paramref name="reference"/>.</summary>
    public async Task<ImageInspection> InspectAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        var pulled = await client.GetPullManifestAsync(reference, cancellationToken);
        var requested = reference;
        reference = pulled.Origin.Source; // registries.conf may redirect the read; everything else comes from the same place
        var top = pulled.Manifest;
        var manifests = new List<ManifestInspection>();
        if (top.IsIndex)
        {
            foreach (var entry in top.ParseIndex().Manifests.Where(e => MediaTypes.IsManifest(e.MediaType)))
            {
                var child = await client.GetManifestAsync(reference.WithDigest(Digest.Parse(entry.Digest)), cancellationToken);
                manifests.Add(await InspectManifestAsync(reference, child, entry.Platform?.ToPlatform().ToString(), cancellationToken));
            }
        }
        else manifests.Add(await InspectManifestAsync(reference, top, null, cancellationToken));
        return new ImageInspection(requested.ToString(), top.Digest.ToString(), top.MediaType, top.IsIndex, manifests)
        {
            PulledFrom = pulled.Origin.Rule is null ? null : pulled.Origin.Source.ToString(),
        };
    }

    private async Task<ManifestInspection> InspectManifestAsync(ImageReference reference, ManifestContent content, string? platform, CancellationToken cancellationToken)
    {
        var manifest = content.ParseManifest();
        var configBytes = await client.GetBlobBytesAsync(reference, manifest.Config, cancellationToken);
        var config = ParseConfig(manifest.Config, configBytes, reference);
        platform ??= config.Os is null || config.Architecture is null ? null : new Platform(config.Os, config.Architecture, config.Variant).ToString();
        var layers = manifest.Layers.Select(l => new LayerInspection(l.Digest, l.MediaType, l.Size)).ToList();
        return new ManifestInspection(content.Digest.ToString(), content.MediaType, platform, config, layers, manifest.Config.Size + layers.Sum(l => l.Size));
    }

    internal static ConfigInspection ParseConfig(Descriptor descriptor, byte[] bytes, ImageReference reference)
    {
        try
        {
            using var json = JsonDocument.Parse(bytes);
            var root = json.RootElement;
            var c = root.TryGetProperty("config", out var cfg) && cfg.ValueKind == JsonValueKind.Object ? cfg : default;
            return new ConfigInspection(
                descriptor.Digest, descriptor.MediaType, Str(root, "os"), Str(root, "architecture"), Str(root, "variant"), Str(root, "created"),
                Str(c, "User"), Str(c, "WorkingDir"), Strings(c, "Entrypoint"), Strings(c, "Cmd"), Strings(c, "Env"),
                c.ValueKind == JsonValueKind.Object && c.TryGetProperty("ExposedPorts", out var p) && p.ValueKind == JsonValueKind.Object ? p.EnumerateObject().Select(x => x.Name).ToList() : null,
                c.ValueKind == JsonValueKind.Object && c.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object
                    ? l.EnumerateObject().Where(x => x.Value.ValueKind == JsonValueKind.String).ToDictionary(x => x.Name, x => x.Value.GetString()!) : null,
                root.TryGetProperty("rootfs", out var r) ? Strings(r, "diff_ids") ?? [] : [],
                root.TryGetProperty("history", out var h) && h.ValueKind == JsonValueKind.Array
                    ? h.EnumerateArray().Select(e => Str(e, "created_by") ?? Str(e, "comment") ?? "").ToList() : []);
        }
        catch (JsonException e)
        {
            throw new DockyardException($"The config {descriptor.Digest} of {reference} is not valid JSON ({e.Message}).", e);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string>? Strings(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : null;
}
