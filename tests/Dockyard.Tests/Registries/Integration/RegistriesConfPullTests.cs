using Dockyard.Builders.Native;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries;
using Dockyard.Registries.Mirrors;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Builders.Native;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>
/// registries.conf against two real registries: <c>mcr.microsoft.com/…</c> remapped to a local registry, a mirror
/// that lacks the image (or cannot be reached) passed over, digest-only mirrors, blocked prefixes.
/// </summary>
public sealed class RegistriesConfPullTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new("regconf");
    private RegistryServer _local = null!;
    private RegistryServer _mirror = null!;

    public async Task InitializeAsync()
    {
        _local = await RegistryServer.StartAsync();
        _mirror = await RegistryServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _local.DisposeAsync();
        await _mirror.DisposeAsync();
    }

    public void Dispose() => _temp.Dispose();

    private RegistriesConf Load(string toml)
    {
        var file = _temp.WriteFile("registries.conf", toml);
        var locations = new RegistriesConfLocations { SystemFile = _temp.Combine("etc", "registries.conf"), SystemDropInDirectory = _temp.Combine("etc", "registries.conf.d") };
        return RegistriesConfLoader.Load(new Dictionary<string, string> { [RegistriesConfLoader.Variable] = file }, _temp.Combine("home"), locations);
    }

    private RegistryClient Client(RegistriesConf conf) => _local.CreateClient(new RegistryClientOptions { RegistriesConf = conf, MaxRetries = 1 });

    [Fact]
    public async Task From_mcr_is_pulled_from_the_local_registry_past_a_mirror_that_lacks_it_and_the_build_log_says_so()
    {
        var repo = TestNames.Repository("dotnet");
        var image = TestImages.Create("remapped base", busybox: false);
        using (var seed = _local.CreateClient()) await image.PushAsync(seed, _local.Reference($"mcr/{repo}/aspnet:10.0"));
        var conf = Load($"""
            # the air-gapped setup: mcr.microsoft.com lives in the local registry, a cache is tried first
            unqualified-search-registries = ["docker.io"]
            [[registry]]
            prefix = "mcr.microsoft.com"
            location = "{_local.Host}/mcr/"
            some-future-key = "ignored"

            [[registry.mirror]]
            location = "{_mirror.Host}/cache"
            """);
        using var client = Client(conf);
        var lines = new List<string>();
        var context = _temp.Combine("context");
        NativeBuildScenario.Write(context, "Dockerfile", $"FROM mcr.microsoft.com/{repo}/aspnet:10.0\nENV REMAPPED=1\n");

        var built = await new NativeImageBuilder(new NativeBuildOptions
            {
                Cache = new LayerCache(_temp.Combine("cache")), Registry = client, Timestamp = NativeBuildScenario.Epoch,
                Log = new SynchronousProgress<string>(lines.Add),
            })
            .BuildAsync(NativeBuildScenario.Plan(context), Dockyard.Dockerfiles.Ignore.BuildContext.Open(context));

        Assert.Equal(image.Layers.Count, built.Layers.Count);
        var line = Assert.Single(lines);
        Assert.Contains($"pulled mcr.microsoft.com/{repo}/aspnet:10.0 from {_local.Host}/mcr/{repo}/aspnet:10.0", line);
        Assert.Contains($"(registries.conf {_temp.Combine("registries.conf")}, prefix 'mcr.microsoft.com'", line);
        Assert.Contains($"skipped mirror {_mirror.Host}/cache/{repo}/aspnet:10.0: not found", line);
        Assert.StartsWith("Dockerfile:1", line);
    }

    [Fact]
    public async Task Image_copy_and_inspect_read_from_the_mirror_that_has_the_image_and_every_blob_comes_from_it()
    {
        var repo = TestNames.Repository("app");
        var image = TestImages.Create("served by the mirror", busybox: false);
        using (var seed = _mirror.CreateClient()) await image.PushAsync(seed, _mirror.Reference($"cache/{repo}:1"));
        // The location is unreachable: every read must be served by the mirror, blobs included.
        var conf = Load($"""
            [[registry]]
            prefix = "registry.example.com/team"
            location = "127.0.0.1:1/never"
            [[registry.mirror]]
            location = "{_mirror.Host}/cache"
            """);
        using var client = Client(conf);
        var source = Dockyard.Registries.References.ImageReference.Parse($"registry.example.com/team/{repo}:1");

        var copied = await new ImageCopier(client).CopyAsync(source, _local.Reference($"copied/{repo}:1"));
        var inspected = new RegistryImageSource(client, source);
        await inspected.ReadAsync(new Dockyard.Images.Transfer.ImageReadOptions { AllPlatforms = true }, CancellationToken.None);

        Assert.Equal(image.Manifest.Digest, copied.Digest);
        Assert.Equal(image.Blobs.Count, copied.BlobsUploaded);
        Assert.True(copied.Origin!.IsMirror);
        Assert.Equal($"{_mirror.Host}/cache/{repo}:1", copied.Origin.Source.ToString());
        Assert.Equal($"{_mirror.Host}/cache/{repo}:1", inspected.Origin!.Source.ToString());
        Assert.Equal(source.ToString(), inspected.Name);
        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(_local, $"copied/{repo}:1"));
    }

    [Fact]
    public async Task An_unreachable_mirror_is_passed_over_and_digest_only_mirrors_serve_digest_pulls_only()
    {
        var repo = TestNames.Repository("pinned");
        var onLocation = TestImages.Create("location copy", busybox: false);
        var onMirror = TestImages.Create("mirror copy", busybox: false);
        using (var seed = _local.CreateClient()) await onLocation.PushAsync(seed, _local.Reference($"{repo}:1"));
        using (var seed = _mirror.CreateClient())
        {
            await onMirror.PushAsync(seed, _mirror.Reference($"{repo}:1"));
            await onLocation.PushAsync(seed, _mirror.Reference($"{repo}:location"));
        }
        var conf = Load($"""
            [[registry]]
            prefix = "quay.example.org"
            location = "{_local.Host}"
            [[registry.mirror]]
            location = "127.0.0.1:1"
            [[registry.mirror]]
            location = "{_mirror.Host}"
            pull-from-mirror = "digest-only"
            """);
        using var client = Client(conf);

        var byTag = await client.GetPullManifestAsync(Dockyard.Registries.References.ImageReference.Parse($"quay.example.org/{repo}:1"));
        var byDigest = await client.GetPullManifestAsync(Dockyard.Registries.References.ImageReference.Parse($"quay.example.org/{repo}@{onLocation.Manifest.Digest}"));

        Assert.Equal(onLocation.Manifest.Digest, byTag.Manifest.Digest); // the digest-only mirror's different :1 is not used
        Assert.False(byTag.Origin.IsMirror);
        Assert.Contains(byTag.Origin.Skipped, s => s.StartsWith("mirror 127.0.0.1:1/", StringComparison.Ordinal));
        Assert.True(byDigest.Origin.IsMirror);
        Assert.Equal(_mirror.Host, byDigest.Origin.Source.Registry);
    }

    [Fact]
    public async Task A_blocked_prefix_refuses_the_pull_naming_the_file_and_the_prefix_and_every_failing_source_is_listed()
    {
        var conf = Load($"""
            [[registry]]
            prefix = "*.blocked.example"
            blocked = true
            [[registry]]
            location = "{_local.Host}/absent"
            prefix = "gone.example.com"
            [[registry.mirror]]
            location = "{_mirror.Host}/absent"
            """);
        using var client = Client(conf);
        var loader = new BaseImageLoader(new LayerCache(_temp.Combine("cache")), client);

        var blocked = await Assert.ThrowsAsync<DockyardException>(() =>
            loader.LoadAsync("registry.blocked.example/team/app:1", new Platform("linux", "amd64"), "Dockerfile:3"));
        var missing = await Assert.ThrowsAsync<DockyardException>(() =>
            loader.LoadAsync("gone.example.com/app:1", new Platform("linux", "amd64"), "Dockerfile:4"));

        Assert.Contains($"blocked by registries.conf {_temp.Combine("registries.conf")} ([[registry]] prefix '*.blocked.example' has blocked = true)", blocked.Message);
        Assert.Contains("could not be pulled from any source", missing.Message);
        Assert.Contains($"mirror {_mirror.Host}/absent/app:1: not found", missing.Message);
        Assert.Contains($"location {_local.Host}/absent/app:1: not found", missing.Message);
    }

    [Fact]
    public async Task Skopeo_reading_the_same_file_and_drop_ins_gets_the_same_manifest_from_the_same_place()
    {
        var repo = TestNames.Repository("parity");
        var onLocation = TestImages.Create("parity location", busybox: false);
        var onMirror = TestImages.Create("parity mirror", busybox: false);
        using (var seed = _local.CreateClient()) await onLocation.PushAsync(seed, _local.Reference($"mcr/{repo}:1"));
        using (var seed = _mirror.CreateClient()) await onMirror.PushAsync(seed, _mirror.Reference($"cache/{repo}:1"));
        var home = _temp.Combine("skopeo-home");
        // The main file remaps to the local registry; a per-user drop-in (read even though the main file is named) adds a mirror.
        var main = _temp.WriteFile("main.conf", $"[[registry]]\nprefix = \"mcr.microsoft.com\"\nlocation = \"{_local.Host}/mcr\"\ninsecure = true\n");
        _temp.WriteFile("skopeo-home/.config/containers/registries.conf.d/50-mirror.conf",
            $"[[registry]]\nprefix = \"mcr.microsoft.com\"\nlocation = \"{_local.Host}/mcr\"\ninsecure = true\n[[registry.mirror]]\nlocation = \"{_mirror.Host}/cache\"\ninsecure = true\n");
        var locations = new RegistriesConfLocations { SystemFile = _temp.Combine("none", "registries.conf"), SystemDropInDirectory = _temp.Combine("none", "registries.conf.d") };
        var conf = RegistriesConfLoader.Load(new Dictionary<string, string> { [RegistriesConfLoader.Variable] = main }, home, locations);
        using var client = Client(conf);
        var reference = $"mcr.microsoft.com/{repo}:1";

        var ours = await client.GetPullManifestAsync(Dockyard.Registries.References.ImageReference.Parse(reference));
        // skopeo 1.9 takes the file as --registries-conf (newer releases also read CONTAINERS_REGISTRIES_CONF).
        var theirs = (await ProcessRunner.RunAsync("skopeo", ["--registries-conf", main, "inspect", "--raw", $"docker://{reference}"],
            environment: new Dictionary<string, string> { ["HOME"] = home })).EnsureSuccess("skopeo inspect --raw");

        Assert.Equal(onMirror.Manifest.Digest, ours.Manifest.Digest);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(onMirror.Manifest.Bytes), theirs.StandardOutput.TrimEnd('\n'));
        Assert.True(ours.Origin.IsMirror);
        Assert.Equal(_temp.Combine("skopeo-home/.config/containers/registries.conf.d/50-mirror.conf"), ours.Origin.Rule!.File);
    }
}
