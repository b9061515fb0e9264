using System.Text.Json.Nodes;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;
using Dockyard.UseCases;
using Xunit;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// The copy matrix: every source kind to every sink kind through <see cref="ImageCopy"/> exactly as a front calls it,
/// checked with the real skopeo (and docker for the daemon) and by digest.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class ImageCopyMatrixTests(AnonymousRegistryFixture fixture, DockerDaemon daemon) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly TempDirectory _work = new("copy-matrix");

    public static readonly string[] Kinds = ["registry", "oci", "oci-archive", "docker-archive", "local", "docker-daemon"];

    /// <summary>Kinds that keep the manifest bytes (the others re-derive a manifest from config and layer tars).</summary>
    private static readonly string[] ByteExact = ["registry", "oci", "oci-archive", "local"];

    public static TheoryData<string, string> Pairs()
    {
        var data = new TheoryData<string, string>();
        foreach (var source in Kinds)
            foreach (var destination in Kinds)
                data.Add(source, destination);
        return data;
    }

    public void Dispose() => _work.Dispose();

    private RegistryServer Registry => fixture.Server;

    private HostContext Host() => new(new Dictionary<string, string>
    {
        ["HOME"] = _work.Combine("home"), ["DOCKYARD_CACHE"] = _work.Combine("cache"), ["DOCKER_HOST"] = daemon.Host, ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "",
    }, _work.Path) { HomeDirectory = _work.Combine("home") };

    private string LocalStoreRoot => Path.Combine(_work.Combine("cache"), "images");

    /// <summary>A location of <paramref name="kind"/> named after <paramref name="id"/>.</summary>
    private string Location(string kind, string id) => kind switch
    {
        "registry" => $"{Registry.Host}/matrix/{id}:1",
        "oci" => $"oci:{_work.Combine(id + "-layout")}:t1",
        "oci-archive" => $"oci-archive:{_work.Combine(id + "-oci.tar")}:t1",
        "docker-archive" => $"docker-archive:{_work.Combine(id + "-docker.tar")}:dockyard.test/{id}:1",
        "local" => $"local:matrix/{id}:1",
        _ => $"docker-daemon:dockyard.test/{id}:1",
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task EverySourceKindCopiesToEverySinkKind(string sourceKind, string destinationKind)
    {
        var id = $"{sourceKind}-{destinationKind}-{Guid.NewGuid():N}"[..40].TrimEnd('-').ToLowerInvariant();
        var seed = TestImages.Create($"matrix {sourceKind} to {destinationKind}");
        var seedLocation = Location("registry", id + "-seed");
        await seed.PushAsync(Registry.CreateClient(), Dockyard.Registries.References.ImageReference.Parse(seedLocation));
        var diffIds = ConfigDiffIds(await Skopeo.InspectConfigAsync($"docker://{seedLocation}", "--tls-verify=false"));

        var source = sourceKind == "registry" ? seedLocation : Location(sourceKind, id + "-src");
        if (sourceKind != "registry")
            await ImageCopy.RunAsync(Host(), new ImageCopyRequest { Source = seedLocation, Destination = source }, CancellationToken.None);
        var destination = Location(destinationKind, id + "-dst");

        var result = await ImageCopy.RunAsync(Host(), new ImageCopyRequest { Source = source, Destination = destination }, CancellationToken.None);

        Assert.Equal(source, result.Source);
        Assert.Equal(destination, result.Destination);
        Assert.Single(result.Images);
        Assert.Equal("linux/amd64", result.Images[0].Platform);
        Assert.NotEmpty(result.Tags);
        if (ByteExact.Contains(sourceKind) && ByteExact.Contains(destinationKind))
            Assert.Equal(seed.Manifest.Digest.ToString(), result.Digest);

        if (destinationKind == "docker-daemon")
        {
            var inspect = JsonNode.Parse((await daemon.DockerAsync(["image", "inspect", $"dockyard.test/{id}-dst:1"])).StandardOutput)!.AsArray()[0]!;
            Assert.Equal(seed.Config.Descriptor.Digest, inspect["Id"]!.GetValue<string>());
            Assert.Equal(diffIds, inspect["RootFS"]!["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList());
            await daemon.DockerAsync(["rmi", "-f", $"dockyard.test/{id}-dst:1"], check: false);
            return;
        }
        if (destinationKind == "local" && !ByteExact.Contains(sourceKind))
        {
            // Docker-typed images stay Docker-typed in the store (exact bytes, so a push keeps the digest); skopeo's
            // oci: transport lists OCI entries only, so the store is checked through the inspect use case.
            var stored = await ImageInspect.RunAsync(Host(), new ImageInspectRequest { Image = destination }, CancellationToken.None);
            Assert.Equal(result.Digest, stored.Digest);
            Assert.Equal(diffIds, stored.Manifests[0].Config.DiffIds);
            Assert.Equal(seed.Config.Descriptor.Digest, stored.Manifests[0].Config.Digest);
            return;
        }
        var transport = destinationKind switch
        {
            "registry" => $"docker://{destination}",
            "local" => $"oci:{LocalStoreRoot}:docker.io/matrix/{id}-dst:1",
            "docker-archive" => destination[..destination.IndexOf(":dockyard.test/", StringComparison.Ordinal)],
            _ => destination,
        };
        var tls = destinationKind == "registry" ? new[] { "--tls-verify=false" } : [];
        Assert.Equal(diffIds, ConfigDiffIds(await Skopeo.InspectConfigAsync(transport, tls)));
        var inspected = await Skopeo.InspectTransportAsync(transport, tls);
        if (destinationKind != "docker-archive")
            Assert.Equal(result.Digest, inspected.GetProperty("Digest").GetString());
        if (ByteExact.Contains(sourceKind) && ByteExact.Contains(destinationKind))
            Assert.Equal(seed.Manifest.Digest.ToString(), inspected.GetProperty("Digest").GetString());
        Assert.Equal(2, inspected.GetProperty("Layers").GetArrayLength());
    }

    private static List<string> ConfigDiffIds(JsonNode config) => config["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
}
