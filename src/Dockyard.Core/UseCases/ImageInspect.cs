using System.Text.Json;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Locations;
using Dockyard.Images.Transfer;

namespace Dockyard.UseCases;

/// <summary>Which image to inspect (<c>dockyard image inspect LOCATION</c>).</summary>
public sealed record ImageInspectRequest
{
    /// <summary>The location (any kind <see cref="ImageLocation.Parse"/> accepts).</summary>
    public required string Image { get; init; }

    /// <summary>How to reach registries.</summary>
    public RegistryConnection Connection { get; init; } = new();
}

/// <summary>What <c>dockyard image inspect</c> shows.</summary>
/// <param name="Reference">The location, as given.</param>
/// <param name="Digest">The digest of the manifest or index it resolves to.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="IsIndex">Whether it is an index (several platforms).</param>
/// <param name="Manifests">One entry per runnable image (one for a plain image).</param>
public sealed record ImageInspectResult(string Reference, string Digest, string MediaType, bool IsIndex, IReadOnlyList<ManifestInspection> Manifests)
{
    /// <summary>Where the image was really read from when containers-registries.conf sent the pull elsewhere, else <c>null</c>.</summary>
    public string? PulledFrom { get; init; }
}

/// <summary>One image manifest.</summary>
/// <param name="Digest">Manifest digest.</param>
/// <param name="MediaType">Manifest media type.</param>
/// <param name="Platform">The platform (<c>os/arch[/variant]</c>).</param>
/// <param name="Config">The image config.</param>
/// <param name="Layers">The layers, base first.</param>
/// <param name="Size">Config plus layer bytes (compressed).</param>
public sealed record ManifestInspection(string Digest, string MediaType, string? Platform, ConfigInspection Config, IReadOnlyList<LayerInspection> Layers, long Size);

/// <summary>A layer descriptor.</summary>
/// <param name="Digest">Digest of the stored (compressed) blob.</param>
/// <param name="MediaType">Layer media type.</param>
/// <param name="Size">Stored size.</param>
public sealed record LayerInspection(string Digest, string MediaType, long Size);

/// <summary>The parts of an image config people look at.</summary>
/// <param name="Digest">Config digest (the image ID).</param>
/// <param name="MediaType">Config media type.</param>
/// <param name="Os">OS.</param>
/// <param name="Architecture">Architecture.</param>
/// <param name="Variant">CPU variant.</param>
/// <param name="Created">Creation time as written.</param>
/// <param name="User">User.</param>
/// <param name="WorkingDir">Working directory.</param>
/// <param name="Entrypoint">Entrypoint.</param>
/// <param name="Cmd">Command.</param>
/// <param name="Env">Environment.</param>
/// <param name="ExposedPorts">Exposed ports.</param>
/// <param name="Labels">Labels.</param>
/// <param name="DiffIds">Uncompressed layer digests.</param>
/// <param name="History">History steps (<c>created_by</c>).</param>
public sealed record ConfigInspection(
    string Digest, string MediaType, string? Os, string? Architecture, string? Variant, string? Created, string? User, string? WorkingDir,
    IReadOnlyList<string>? Entrypoint, IReadOnlyList<string>? Cmd, IReadOnlyList<string>? Env, IReadOnlyList<string>? ExposedPorts,
    IReadOnlyDictionary<string, string>? Labels, IReadOnlyList<string> DiffIds, IReadOnlyList<string> History);

/// <summary>Reads any source's manifest or index (every platform), configs and layer lists.</summary>
public static class ImageInspect
{
    /// <summary>Inspects <see cref="ImageInspectRequest.Image"/>.</summary>
    /// <exception cref="DockyardException">The location is invalid or the image cannot be read.</exception>
    public static async Task<ImageInspectResult> RunAsync(HostContext host, ImageInspectRequest request, CancellationToken cancellationToken)
    {
        var location = ImageLocation.Parse(request.Image);
        await using var services = new ImageServices(host, request.Connection, location.Reference?.Registry);
        var reader = location.OpenSource(services);
        var content = await reader.ReadAsync(new ImageReadOptions { AllPlatforms = true }, cancellationToken);
        var manifests = content.Images.Select(i => Inspect(i, location.Text)).ToList();
        return new ImageInspectResult(location.Text, content.Digest.ToString(), content.MediaType, content is MultiPlatformImage, manifests)
        { PulledFrom = reader is Registries.Transfer.RegistryImageSource { Origin: { Rule: not null, Source: var from } } ? from.ToString() : null };
    }

    private static ManifestInspection Inspect(Image image, string where)
    {
        var config = ParseConfig(image.Manifest.Config, image.ConfigBytes, where);
        var layers = image.Manifest.Layers.Select(l => new LayerInspection(l.Digest, l.MediaType, l.Size)).ToList();
        return new ManifestInspection(image.Digest.ToString(), image.MediaType, image.Platform.ToString(), config, layers, image.Manifest.Config.Size + layers.Sum(l => l.Size));
    }

    private static ConfigInspection ParseConfig(Descriptor descriptor, byte[] bytes, string where)
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
            throw new DockyardException($"The config {descriptor.Digest} of {where} is not valid JSON ({e.Message}).", e);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string>? Strings(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : null;
}
