using System.Text;
using System.Text.Json;
using Dockyard.Cli;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Manifests;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;
using Dockyard.UseCases;
using Xunit;

namespace Dockyard.Tests.UseCases;

/// <summary>The copy and inspect use cases called as a front calls them (request in, result out), against a real registry and skopeo.</summary>
public sealed class ImageCopyTests(AnonymousRegistryFixture fixture) : IClassFixture<AnonymousRegistryFixture>, IDisposable
{
    private readonly TempDirectory _work = new("copy-usecase");

    public void Dispose() => _work.Dispose();

    private RegistryServer Registry => fixture.Server;

    private HostContext Host() => new(new Dictionary<string, string> { ["HOME"] = _work.Combine("home"), ["DOCKYARD_CACHE"] = _work.Combine("cache") }, _work.Path)
    { HomeDirectory = _work.Combine("home") };

    private Task<ImageCopyResult> CopyAsync(string source, string destination, bool allPlatforms = false, params string[] tags) =>
        ImageCopy.RunAsync(Host(), new ImageCopyRequest { Source = source, Destination = destination, AllPlatforms = allPlatforms, AdditionalTags = tags }, CancellationToken.None);

    /// <summary>Pushes an index of two images plus a BuildKit-style attestation manifest (platform unknown/unknown).</summary>
    private async Task<(string Reference, ManifestContent Index)> PushIndexWithAttestationAsync(string repo)
    {
        using var client = Registry.CreateClient();
        var target = Registry.Reference($"{repo}:1");
        var images = new[] { TestImages.Create("amd64 " + repo), TestImages.Create("arm64 " + repo, new Platform("linux", "arm64", "v8")) };
        foreach (var image in images) await image.PushAsync(client, target.WithDigest(image.Manifest.Digest));

        var empty = "{}"u8.ToArray();
        var statement = Encoding.UTF8.GetBytes("""{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://spdx.dev/Document"}""");
        Descriptor Describe(string type, byte[] bytes) => new() { MediaType = type, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };
        var attestationBytes = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = Describe("application/vnd.oci.empty.v1+json", empty),
            Layers = [Describe("application/vnd.in-toto+json", statement)],
        });
        var attestation = ManifestContent.FromBytes(attestationBytes, MediaTypes.OciManifest, "attestation");
        await client.PushImageAsync(target.WithDigest(attestation.Digest), attestation,
            [new BlobToPush(Describe("application/vnd.oci.empty.v1+json", empty), new BytesBlobSource(empty)), new BlobToPush(Describe("application/vnd.in-toto+json", statement), new BytesBlobSource(statement))]);

        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                .. images.Select(i => i.Manifest.ToDescriptor(new DescriptorPlatform { Os = i.Platform.Os, Architecture = i.Platform.Architecture, Variant = i.Platform.Variant })),
                attestation.ToDescriptor(new DescriptorPlatform { Os = "unknown", Architecture = "unknown" }) with
                {
                    Annotations = new Dictionary<string, string> { ["vnd.docker.reference.digest"] = images[0].Manifest.Digest.ToString(), ["vnd.docker.reference.type"] = "attestation-manifest" },
                },
            ],
        };
        var indexContent = ManifestContent.FromBytes(JsonSerializer.SerializeToUtf8Bytes(index), MediaTypes.OciIndex, "index");
        await client.PushImageAsync(target, indexContent, []);
        return (target.ToString(), indexContent);
    }

    [Fact]
    public async Task AllPlatformsTravelByteExactThroughALayoutTheLocalStoreAndBackIncludingAttestations()
    {
        var repo = TestNames.Repository("attest");
        var (source, index) = await PushIndexWithAttestationAsync(repo);
        var layout = $"oci:{_work.Combine("all")}:multi";

        var toLayout = await CopyAsync(source, layout, allPlatforms: true);
        Assert.Equal(index.Digest.ToString(), toLayout.Digest);
        Assert.Equal(MediaTypes.OciIndex, toLayout.MediaType);
        Assert.Equal(["linux/amd64", "linux/arm64/v8"], toLayout.Images.Select(i => i.Platform));
        Assert.Equal(4, toLayout.Manifests);
        Assert.Equal(index.Bytes, Encoding.UTF8.GetBytes((await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", layout])).EnsureSuccess("skopeo").StandardOutput.TrimEnd('\n')));

        var toStore = await CopyAsync(layout, $"local:{repo}:multi", allPlatforms: true);
        Assert.Equal(index.Digest.ToString(), toStore.Digest);
        Assert.Equal([$"docker.io/library/{repo}:multi"], toStore.Tags);

        var back = await CopyAsync($"local:{repo}:multi", $"{Registry.Host}/{repo}-back:1", true, "2");
        Assert.Equal(index.Digest.ToString(), back.Digest);
        Assert.Equal([$"{Registry.Host}/{repo}-back:1", $"{Registry.Host}/{repo}-back:2"], back.Tags);
        Assert.Equal(index.Bytes, await Skopeo.RawManifestAsync(Registry, $"{repo}-back:2"));
        var attestationEntry = index.ParseIndex().Manifests[2];
        Assert.Equal("application/vnd.in-toto+json", JsonDocument.Parse(await Skopeo.RawManifestAsync(Registry, $"{repo}-back@{attestationEntry.Digest}"))
            .RootElement.GetProperty("layers")[0].GetProperty("mediaType").GetString());
        Assert.True(back.BytesUploaded > 0);

        // one platform: the arm64 image by itself
        var arm = await ImageCopy.RunAsync(Host(), new ImageCopyRequest { Source = source, Destination = $"{Registry.Host}/{repo}-arm:1", Platform = "linux/arm64" }, CancellationToken.None);
        Assert.Equal(index.ParseIndex().Manifests[1].Digest, arm.Digest);
        Assert.Equal("arm64", (await Skopeo.InspectAsync(Registry, $"{repo}-arm:1")).GetProperty("Architecture").GetString());
        Assert.True(arm.BlobsMounted > 0);
    }

    [Fact]
    public async Task InspectReadsEverySourceKindAlike()
    {
        var repo = TestNames.Repository("inspect");
        var image = TestImages.Create("inspect " + repo);
        using (var client = Registry.CreateClient()) await image.PushAsync(client, Registry.Reference($"{repo}:1"));
        var registryRef = $"{Registry.Host}/{repo}:1";
        await CopyAsync(registryRef, $"oci:{_work.Combine("layout")}:a");
        await CopyAsync(registryRef, $"docker-archive:{_work.Combine("image.tar")}:{repo}:1");
        await CopyAsync(registryRef, $"local:{repo}:1");

        foreach (var location in new[] { registryRef, $"oci:{_work.Combine("layout")}:a", $"docker-archive:{_work.Combine("image.tar")}", $"local:{repo}:1" })
        {
            var inspected = await ImageInspect.RunAsync(Host(), new ImageInspectRequest { Image = location }, CancellationToken.None);
            Assert.Equal(location, inspected.Reference);
            Assert.False(inspected.IsIndex);
            var manifest = Assert.Single(inspected.Manifests);
            Assert.Equal("linux/amd64", manifest.Platform);
            Assert.Equal(image.Config.Descriptor.Digest, manifest.Config.Digest);
            Assert.Equal(2, manifest.Config.DiffIds.Count);
            if (!location.StartsWith("docker-archive:", StringComparison.Ordinal)) Assert.Equal(image.Manifest.Digest.ToString(), inspected.Digest);
        }
    }

    [Fact]
    public async Task LocationErrorsNameTheLocationAndWhatToWrite()
    {
        var missing = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"local:nothing-{Guid.NewGuid():N}:1", $"oci:{_work.Combine("x")}:t"));
        Assert.Contains("has no image named", missing.Message);
        var bad = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync("oci:", $"oci:{_work.Combine("x")}:t"));
        Assert.Contains("no path", bad.Message);
        var pinned = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{_work.Combine("nope")}", $"{Registry.Host}/x@sha256:{new string('0', 64)}"));
        Assert.Contains("not an OCI image layout", pinned.Message);
    }

    [Fact]
    public async Task TheCliPrintsTheCopyResultAsJson()
    {
        var repo = TestNames.Repository("json");
        var image = TestImages.Create("json " + repo);
        using (var client = Registry.CreateClient()) await image.PushAsync(client, Registry.Reference($"{repo}:1"));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var destination = $"oci:{_work.Combine("json-layout")}:v1";

        var exit = Program.Run(["image", "copy", $"{Registry.Host}/{repo}:1", destination, "--json", "--tag", "v2"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        var root = json.RootElement;
        Assert.Equal(image.Manifest.Digest.ToString(), root.GetProperty("digest").GetString());
        Assert.Equal(["v1", "v2"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(image.Blobs.Count + 1, root.GetProperty("blobsUploaded").GetInt32());
        Assert.Equal("linux/amd64", root.GetProperty("images")[0].GetProperty("platform").GetString());
        Assert.True(root.GetProperty("bytesUploaded").GetInt64() > 0);
        Assert.Equal(image.Manifest.Digest.ToString(), (await Skopeo.InspectTransportAsync($"oci:{_work.Combine("json-layout")}:v2")).GetProperty("Digest").GetString());
    }
}
