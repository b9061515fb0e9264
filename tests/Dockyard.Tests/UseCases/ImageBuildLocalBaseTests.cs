using Dockyard.Images;
using Dockyard.Images.Stores;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases;
using Dockyard.UseCases.Build;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>Native builds FROM images that are on this machine: the local store, an OCI archive, and docker's daemon-first rule.</summary>
public sealed class ImageBuildLocalBaseTests
{
    // No registry answers here: a build that tried to pull this name would fail.
    private const string Unreachable = "127.0.0.1:9/corp/base:1";

    private static async Task<(string Store, string BaseManifest)> StoreWithBaseAsync(TempDirectory temp, TestHost host, string name)
    {
        var layout = temp.Combine("layout");
        TestImages.WriteOciLayout(TestImages.Create("base from the store"), layout, "1");
        var store = temp.Combine("store");
        var copied = await ImageCopy.RunAsync(host.Context, new ImageCopyRequest { Source = $"oci:{layout}:1", Destination = $"local:{name}", LocalStoreDirectory = store }, CancellationToken.None);
        return (store, copied.Digest);
    }

    private static string Context(TempDirectory temp, string from)
    {
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {from}\nCOPY a.txt /\n");
        Write(context, "a.txt", "a\n");
        return context;
    }

    private static IReadOnlyList<string> LayerDigests(string store, string name)
    {
        var local = new LocalImageStore(store);
        var entry = local.Find(name) ?? throw new InvalidOperationException($"{name} is not in the store");
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(local.BlobPath(Digest.Parse(entry.Descriptor.Digest))));
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    }

    [Fact]
    public async Task FROM_local_NAME_builds_on_the_image_of_the_local_store()
    {
        using var temp = new TempDirectory("uc-localbase");
        using var host = new TestHost();
        var (store, _) = await StoreWithBaseAsync(temp, host, "corp/base:1");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "local:corp/base:1"), Tags = ["corp/app:1"], Platforms = [Amd64], LocalStoreDirectory = store,
        });

        var baseLayers = LayerDigests(store, "corp/base:1");
        var appLayers = LayerDigests(store, "corp/app:1");
        Assert.Equal(baseLayers.Count + 1, appLayers.Count);
        Assert.Equal(baseLayers, appLayers.Take(baseLayers.Count));
        Assert.NotNull(result.Digest);
    }

    [Fact]
    public async Task The_base_digest_label_names_the_manifest_the_base_was_resolved_to_and_only_when_asked()
    {
        using var temp = new TempDirectory("uc-basedigest");
        using var host = new TestHost();
        var (store, baseManifest) = await StoreWithBaseAsync(temp, host, "corp/base:1");
        var context = Context(temp, "local:corp/base:1");

        await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = context, Tags = ["corp/labelled:1"], Platforms = [Amd64], LocalStoreDirectory = store, BaseDigestLabel = true,
        });
        await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = context, Tags = ["corp/plain:1"], Platforms = [Amd64], LocalStoreDirectory = store,
        });

        Assert.Equal(baseManifest, Labels(store, "corp/labelled:1").GetValueOrDefault("org.opencontainers.image.base.digest"));
        Assert.False(Labels(store, "corp/plain:1").ContainsKey("org.opencontainers.image.base.digest"));
    }

    private static Dictionary<string, string> Labels(string store, string name)
    {
        var local = new LocalImageStore(store);
        var entry = local.Find(name) ?? throw new InvalidOperationException($"{name} is not in the store");
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(local.BlobPath(Digest.Parse(entry.Descriptor.Digest))));
        var config = manifest.RootElement.GetProperty("config").GetProperty("digest").GetString()!;
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(local.BlobPath(Digest.Parse(config))));
        return document.RootElement.GetProperty("config").TryGetProperty("Labels", out var labels) && labels.ValueKind == System.Text.Json.JsonValueKind.Object
            ? labels.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!) : [];
    }

    [Fact]
    public async Task A_registry_name_the_store_holds_is_taken_from_the_store_only_when_asked_as_docker_build_does()
    {
        using var temp = new TempDirectory("uc-localbase");
        using var host = new TestHost();
        var (store, _) = await StoreWithBaseAsync(temp, host, Unreachable);
        var request = new ImageBuildRequest
        {
            ContextDirectory = Context(temp, Unreachable), Tags = ["corp/app:1"], Platforms = [Amd64], LocalStoreDirectory = store,
            BaseImagesFromLocalStore = true,
        };

        await ImageBuild.RunAsync(host.Context, request);

        Assert.Equal(LayerDigests(store, Unreachable), LayerDigests(store, "corp/app:1").SkipLast(1));
    }

    [Fact]
    public async Task FROM_oci_archive_FILE_builds_on_the_archived_image()
    {
        using var temp = new TempDirectory("uc-localbase");
        using var host = new TestHost();
        var layout = temp.Combine("layout");
        TestImages.WriteOciLayout(TestImages.Create("base from an archive"), layout, "1");
        var archive = temp.Combine("base.tar");
        await ImageCopy.RunAsync(host.Context, new ImageCopyRequest { Source = $"oci:{layout}:1", Destination = $"oci-archive:{archive}:1" }, CancellationToken.None);
        var store = temp.Combine("store");

        await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, $"oci-archive:{archive}:1"), Tags = ["corp/app:1"], Platforms = [Amd64], LocalStoreDirectory = store,
        });

        var copied = await ImageCopy.RunAsync(host.Context, new ImageCopyRequest { Source = $"oci-archive:{archive}:1", Destination = "local:corp/base:1", LocalStoreDirectory = store }, CancellationToken.None);
        Assert.NotNull(copied.Digest);
        Assert.Equal(LayerDigests(store, "corp/base:1"), LayerDigests(store, "corp/app:1").SkipLast(1));
    }
}
