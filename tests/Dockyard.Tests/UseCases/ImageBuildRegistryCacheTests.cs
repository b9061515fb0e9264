using System.Text.Json;
using Dockyard.Builders;
using Dockyard.Images;
using Dockyard.Registries.Cache;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;
using Microsoft.Extensions.Logging;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// The registry layer cache, end to end against a real registry: every build runs with a fresh host (an empty local
/// layer cache and new file times, as on a fresh CI runner).
/// </summary>
public sealed class ImageBuildRegistryCacheTests
{
    private const int BigBytes = 3 << 20;

    private static string Context(TempDirectory temp, string name, string app)
    {
        var context = temp.Combine(name);
        Write(context, "Dockerfile", "FROM scratch\nCOPY deps/ /deps/\nCOPY app.txt /app/\n");
        Directory.CreateDirectory(Path.Combine(context, "deps"));
        var bytes = new byte[BigBytes];
        new Random(7).NextBytes(bytes); // the same "dependencies" in every checkout
        File.WriteAllBytes(Path.Combine(context, "deps", "big.bin"), bytes);
        Write(context, "app.txt", app);
        return context;
    }

    private static async Task<IReadOnlyList<string>> LayerDigestsAsync(RegistryServer registry, string repositoryAndTag) =>
        JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, repositoryAndTag)).RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => l.GetProperty("digest").GetString()!).ToList();

    private static string[] LocalBlobs(TestHost host) =>
        Directory.GetFiles(Path.Combine(host.Context.CacheDirectory, "layers", "blobs", "sha256")).Select(Path.GetFileName).OfType<string>().ToArray();

    [Fact]
    public async Task A_fresh_runner_takes_unchanged_layers_from_the_cache_repository_without_compressing_or_uploading_them()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-cache");
        var cache = $"{registry.Host}/app/cache:{RegistryLayerCache.DefaultTag}";

        ImageBuildResult first;
        using (var runner = new TestHost())
        {
            first = await ImageBuild.RunAsync(runner.Context, new ImageBuildRequest
            {
                ContextDirectory = Context(temp, "one", "v1\n"), Tags = [$"{registry.Host}/app/web:1"], Platforms = [Amd64],
                Destination = ImageDestination.Push, Timestamp = Epoch, CacheTo = cache,
            });
            Assert.Equal(0, first.LayersFromRegistryCache);
            Assert.Contains(runner.Logger.Entries, e => e.Text.StartsWith($"layer cache: wrote {cache} (2 layer(s)", StringComparison.Ordinal));
        }
        // The cache is an OCI artifact whose layers are the image's layers (the registry keeps them, a push mounts them).
        var artifact = JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, $"app/cache:{RegistryLayerCache.DefaultTag}")).RootElement;
        Assert.Equal(LayerCacheArtifact.MediaType, artifact.GetProperty("config").GetProperty("mediaType").GetString());
        Assert.Equal(LayerCacheArtifact.MediaType, artifact.GetProperty("artifactType").GetString());
        var firstLayers = await LayerDigestsAsync(registry, "app/web:1");
        Assert.Equal(firstLayers.Order(), artifact.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).Order());

        // A fresh runner, a one-line change: the dependencies layer comes from the cache; only the app layer is new.
        using var fresh = new TestHost();
        var second = await ImageBuild.RunAsync(fresh.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "two", "v2\n"), Tags = [$"{registry.Host}/app/web:2"], Platforms = [Amd64],
            Destination = ImageDestination.Push, Timestamp = Epoch, CacheFrom = [cache], CacheFromTags = false,
        });

        Assert.Equal(1, second.LayersFromRegistryCache);
        var secondLayers = await LayerDigestsAsync(registry, "app/web:2");
        Assert.Equal(firstLayers[0], secondLayers[0]);
        Assert.NotEqual(firstLayers[1], secondLayers[1]);
        Assert.DoesNotContain(firstLayers[0]["sha256:".Length..], LocalBlobs(fresh)); // never compressed nor stored here
        Assert.InRange(second.UploadedBytes ?? -1, 1, BigBytes / 4); // the app layer, config and manifest; the big layer was mounted
        Assert.Contains(fresh.Logger.Entries, e => e.Text.StartsWith("layer cache: 1 layer(s) found in the registry", StringComparison.Ordinal));
        // The image is whole: skopeo reads every blob of it.
        (await ProcessRunner.RunAsync("skopeo", ["copy", .. registry.SkopeoArguments("src-"), $"docker://{registry.Host}/app/web:2", $"oci:{temp.Combine("copy")}:2"]))
            .EnsureSuccess("skopeo copy");
    }

    [Fact]
    public async Task A_push_reuses_what_its_own_tag_holds_so_an_unchanged_rebuild_on_a_fresh_runner_uploads_nothing()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-cache");
        var request = new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "one", "v1\n"), Tags = [$"{registry.Host}/app/web:latest"], Platforms = [Amd64],
            Destination = ImageDestination.Push, Timestamp = Epoch,
        };
        using (var runner = new TestHost()) await ImageBuild.RunAsync(runner.Context, request);

        using var fresh = new TestHost();
        var again = await ImageBuild.RunAsync(fresh.Context, request with { ContextDirectory = Context(temp, "two", "v1\n") });

        Assert.Equal(2, again.LayersFromRegistryCache);
        Assert.Equal(0, again.UploadedBytes);
        Assert.Empty(LocalBlobs(fresh));
        Assert.DoesNotContain(fresh.Logger.Entries, e => e.Level >= LogLevel.Warning);

        // Asked not to, it compresses and stores its layers itself (and the registry already has them: still 0 bytes).
        using var off = new TestHost();
        var without = await ImageBuild.RunAsync(off.Context, request with { ContextDirectory = Context(temp, "three", "v1\n"), CacheFromTags = false });
        Assert.Equal(0, without.LayersFromRegistryCache);
        Assert.Equal(2, LocalBlobs(off).Length);
        Assert.Equal(again.Digest, without.Digest);
    }

    [Fact]
    public async Task A_cache_that_is_not_there_yet_or_cannot_be_read_is_said_and_the_build_goes_on()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-cache");
        using var host = new TestHost();
        using (var client = registry.CreateClient())
            await TestImages.Create("not a cache").PushAsync(client, registry.Reference("other/image:1"));

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "one", "v1\n"), Tags = ["example.com/app:1"], Platforms = [Amd64], LocalStoreDirectory = temp.Combine("store"),
            Timestamp = Epoch, CacheFrom = [$"{registry.Host}/app/cache:none", $"{registry.Host}/other/image:1"],
        });

        Assert.Equal(BackendKind.Native, result.Backend);
        Assert.Equal(0, result.LayersFromRegistryCache);
        Assert.Contains(host.Logger.Entries, e => e.Text == $"layer cache {registry.Host}/app/cache:none: nothing there yet");
        Assert.Contains(host.Logger.Entries, e => e.Text.StartsWith($"layer cache {registry.Host}/other/image:1: ", StringComparison.Ordinal));

        var bad = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "two", "v1\n"), Tags = ["example.com/app:1"], Platforms = [Amd64], LocalStoreDirectory = temp.Combine("store"),
            CacheFrom = ["Not A Reference"],
        }));
        Assert.Contains("cache-from reference 'Not A Reference'", bad.Message, StringComparison.Ordinal);
        Assert.Equal(Dockyard.Diagnostics.Setting.LayerCache, bad.Setting);

        // A cache written onto the tag the image is pushed to would replace the image: refused before anything is built.
        var same = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(temp, "three", "v1\n"), Tags = [$"{registry.Host}/app/same:latest"], Platforms = [Amd64], Destination = ImageDestination.Push,
            CacheTo = $"type=registry,ref={registry.Host}/app/same:latest",
        }));
        Assert.Contains("would replace the image", same.Message, StringComparison.Ordinal);
        Assert.NotEqual(0, (await ProcessRunner.RunAsync("skopeo", ["inspect", .. registry.SkopeoArguments(), $"docker://{registry.Host}/app/same:latest"])).ExitCode);
    }
}
