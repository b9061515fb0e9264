using System.Text;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>
/// Push, pull, copy, mount, chunked upload, several tags and indexes against one real registry mode; results are
/// checked with the real skopeo and by pulling back and comparing digests.
/// </summary>
public abstract class RegistryRoundTripTests(RegistryServer registry)
{
    protected RegistryServer Registry { get; } = registry;


    [Fact]
    public async Task Pushed_image_is_seen_by_skopeo_with_the_same_digest_and_config()
    {
        var image = TestImages.Create("push " + GetType().Name);
        var repo = TestNames.Repository("push");
        using var client = Registry.CreateClient();
        var result = await image.PushAsync(client, Registry.Reference($"{repo}:1.0"));

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.All(result.Blobs.Values, o => Assert.Equal(BlobPushOutcome.Uploaded, o));
        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(Registry, $"{repo}:1.0"));
        var inspected = await Skopeo.InspectAsync(Registry, $"{repo}:1.0");
        Assert.Equal(image.Manifest.Digest.ToString(), inspected.GetProperty("Digest").GetString());
        Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest), inspected.GetProperty("Layers").EnumerateArray().Select(l => l.GetString()));
        Assert.Contains("MESSAGE=push " + GetType().Name, inspected.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Image_pushed_by_skopeo_pulls_back_byte_exact_with_verified_blobs()
    {
        var image = TestImages.Create("pulled " + GetType().Name);
        var repo = TestNames.Repository("pull");
        await TestImages.PushWithSkopeoAsync(image, Registry, $"{repo}:v1");
        using var client = Registry.CreateClient();

        var (index, manifest) = await client.ResolveImageAsync(Registry.Reference($"{repo}:v1"), new Platform("linux", "amd64"));
        Assert.Null(index);
        Assert.Equal(image.Manifest.Digest, manifest.Digest);
        Assert.Equal(image.Manifest.Bytes, manifest.Bytes);
        foreach (var blob in image.Blobs)
        {
            var bytes = await client.GetBlobBytesAsync(Registry.Reference(repo), blob.Descriptor);
            Assert.Equal(blob.Bytes, bytes);
        }
        using var dir = new TempDirectory("pull");
        var layer = image.Layers[0];
        await client.DownloadBlobAsync(Registry.Reference(repo), layer.Descriptor, dir.Combine("layer"));
        Assert.Equal(layer.Descriptor.Digest, Digest.Sha256(await File.ReadAllBytesAsync(dir.Combine("layer"))).ToString());
    }

    [Fact]
    public async Task Several_tags_point_at_one_manifest()
    {
        var image = TestImages.Create("tags");
        var repo = TestNames.Repository("tags");
        using var client = Registry.CreateClient();
        await image.PushAsync(client, Registry.Reference($"{repo}:1.0.0"), "1.0", "latest");

        Assert.Equal(["1.0", "1.0.0", "latest"], await Skopeo.ListTagsAsync(Registry, repo));
        foreach (var tag in new[] { "1.0.0", "1.0", "latest" })
            Assert.Equal(image.Manifest.Digest, (await client.GetManifestAsync(Registry.Reference($"{repo}:{tag}"))).Digest);
    }

    [Fact]
    public async Task Copy_within_the_registry_mounts_every_blob_and_keeps_the_digest()
    {
        var image = TestImages.Create("mount " + GetType().Name);
        var source = TestNames.Repository("src");
        var target = TestNames.Repository("dst");
        using var client = Registry.CreateClient();
        await image.PushAsync(client, Registry.Reference($"{source}:1"));

        var copied = await new ImageCopier(client).CopyAsync(Registry.Reference($"{source}:1"), Registry.Reference($"team/{target}:copy"));

        Assert.Equal(image.Manifest.Digest, copied.Digest);
        Assert.Equal(image.Blobs.Count, copied.BlobsMounted);
        Assert.Equal(0, copied.BlobsUploaded);
        Assert.Equal(image.Manifest.Digest.ToString(), (await Skopeo.InspectAsync(Registry, $"team/{target}:copy")).GetProperty("Digest").GetString());

        var again = await new ImageCopier(client).CopyAsync(Registry.Reference($"{source}:1"), Registry.Reference($"team/{target}:again"));
        Assert.Equal(image.Blobs.Count, again.BlobsExisting);
    }

    [Fact]
    public async Task Chunked_upload_with_a_small_chunk_size_is_raised_to_5_MiB_and_round_trips()
    {
        var image = TestImages.Create("chunked", randomLayerBytes: 11 * 1024 * 1024 + 123, busybox: false);
        var repo = TestNames.Repository("chunk");
        var events = new List<TransferProgress>();
        var progress = new SynchronousProgress<TransferProgress>(e => { lock (events) events.Add(e); });
        using var client = Registry.CreateClient(new RegistryClientOptions { ChunkSize = 1024 * 1024, Progress = progress });
        await image.PushAsync(client, Registry.Reference($"{repo}:big"));

        var big = image.Layers[^1];
        // 11 MiB + 123 B in 5 MiB chunks = 3 PATCHes, each reported once when it completes.
        var chunkReports = events.Where(e => e.Kind == TransferEventKind.BlobProgress && e.Digest == big.Descriptor.Digest).Select(e => e.Bytes).ToList();
        Assert.Equal([5L << 20, 10L << 20, big.Descriptor.Size], chunkReports);
        Assert.Equal(big.Bytes, await client.GetBlobBytesAsync(Registry.Reference(repo), big.Descriptor));
        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(Registry, $"{repo}:big"));
    }

    [Fact]
    public async Task Index_pushes_after_its_manifests_and_copies_with_all_platforms_or_one()
    {
        var images = new[]
        {
            TestImages.Create("amd64", new Platform("linux", "amd64"), busybox: false),
            TestImages.Create("arm64", new Platform("linux", "arm64", "v8"), busybox: false),
        };
        var repo = TestNames.Repository("multi");
        using var client = Registry.CreateClient();
        var indexDigest = await TestImages.PushIndexAsync(client, Registry.Reference($"{repo}:multi"), images);

        var raw = await Skopeo.RawManifestAsync(Registry, $"{repo}:multi");
        Assert.Equal(indexDigest, Digest.Sha256(raw));
        Assert.Contains(MediaTypes.OciIndex, Encoding.UTF8.GetString(raw));

        var all = await new ImageCopier(client).CopyAsync(Registry.Reference($"{repo}:multi"), Registry.Reference($"{repo}-all:multi"), new CopyOptions { AllPlatforms = true });
        Assert.Equal(indexDigest, all.Digest);
        Assert.Equal(3, all.Manifests);

        var arm = await new ImageCopier(client).CopyAsync(Registry.Reference($"{repo}:multi"), Registry.Reference($"{repo}-arm:1"), new CopyOptions { Platform = Platform.Parse("linux/arm64") });
        Assert.Equal(images[1].Manifest.Digest, arm.Digest);
        var inspected = await Skopeo.InspectAsync(Registry, $"{repo}-arm:1");
        Assert.Equal("arm64", inspected.GetProperty("Architecture").GetString());
    }

    [Fact]
    public async Task Manifest_is_not_tagged_when_a_referenced_blob_is_missing()
    {
        var image = TestImages.Create("missing", busybox: false);
        var repo = TestNames.Repository("missing");
        using var client = Registry.CreateClient();
        var error = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() =>
            client.PushImageAsync(Registry.Reference($"{repo}:1"), image.Manifest, [image.Config.ToPush()]));
        Assert.Contains(image.Layers[0].Descriptor.Digest, error.Message);
        Assert.Contains("nothing was tagged", error.Message);
        Assert.False(await client.ManifestExistsAsync(Registry.Reference($"{repo}:1")));
    }
}

/// <summary>Reports synchronously on the calling thread (unlike <see cref="Progress{T}"/>).</summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}

public sealed class AnonymousRegistryTests(AnonymousRegistryFixture fixture) : RegistryRoundTripTests(fixture.Server), IClassFixture<AnonymousRegistryFixture>;

public sealed class BasicAuthRegistryTests(BasicRegistryFixture fixture) : RegistryRoundTripTests(fixture.Server), IClassFixture<BasicRegistryFixture>;

public sealed class TokenAuthRegistryTests(TokenRegistryFixture fixture) : RegistryRoundTripTests(fixture.Server), IClassFixture<TokenRegistryFixture>;

public sealed class TlsRegistryTests(TlsRegistryFixture fixture) : RegistryRoundTripTests(fixture.Server), IClassFixture<TlsRegistryFixture>;
