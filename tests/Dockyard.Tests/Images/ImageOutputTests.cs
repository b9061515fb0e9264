using Dockyard.Tests.Infrastructure;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Layers;

namespace Dockyard.Tests.Images;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ImageOutputTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
    private readonly TempDirectory _work = new();
    private readonly LayerCache _cache;

    public ImageOutputTests() => _cache = new LayerCache(_work.Combine("cache"));

    public void Dispose() => _work.Dispose();

    /// <summary>A busybox base image (from Debian's busybox-static) for <paramref name="platform"/>, written as an OCI layout.</summary>
    private Image BusyboxBase(Platform platform, ImageFormat format = ImageFormat.Oci)
    {
        var layer = new LayerBuilder(Epoch)
            .AddFileFromDisk("bin/busybox", "/bin/busybox")
            .AddSymlink("bin/sh", "busybox")
            .AddSymlink("bin/echo", "busybox")
            .Build(_cache);
        var builder = new ImageBuilder(platform, format, Epoch);
        builder.AddLayer(layer, _cache, "COPY /bin/busybox /bin/busybox # buildkit");
        builder.Config.Cmd = ["sh"];
        builder.AddHistory("CMD [\"sh\"]");
        return builder.Build();
    }

    private Image AppOnTop(Image baseImage, string text)
    {
        var app = new LayerBuilder(Epoch).AddFile("app/hello.txt", LayerContent.FromBytes(System.Text.Encoding.UTF8.GetBytes(text)), uid: 1000, gid: 1000).Build(_cache);
        var builder = new ImageBuilder(baseImage, timestamp: Epoch);
        builder.AddLayer(app, _cache, "COPY --chown=1000:1000 hello.txt /app/ # buildkit");
        builder.Config.SetEnv("GREETING", text);
        builder.AddHistory($"ENV GREETING={text}");
        builder.Config.WorkingDir = "/app";
        builder.AddHistory("WORKDIR /app");
        return builder.Build();
    }

    private static JsonNode Inspect(string transport) => JsonNode.Parse(Tool.Run("skopeo", "inspect", transport))!;

    private static JsonNode InspectConfig(string transport) => JsonNode.Parse(Tool.Run("skopeo", "inspect", "--config", transport))!;

    [Fact]
    public async Task ABusyboxBaseLayoutPassesSkopeoAndAnImageBuiltOnItKeepsTheBaseDescriptorsVerbatim()
    {
        var basePlatform = new Platform("linux", "amd64");
        var baseDir = _work.Combine("base");
        var baseImage = BusyboxBase(basePlatform);
        await new OciLayoutSink(baseDir, ["1.0"]).WriteAsync(baseImage, default);

        var inspected = Inspect($"oci:{baseDir}:1.0");
        Assert.Equal(baseImage.ManifestDigest.ToString(), inspected["Digest"]!.GetValue<string>());
        Assert.Equal("amd64", inspected["Architecture"]!.GetValue<string>());

        var source = await new OciLayoutSource(baseDir, "1.0").ReadImageAsync(basePlatform, default);
        Assert.Equal(baseImage.ManifestDigest.ToString(), source.Digest.ToString());
        var app = AppOnTop(source, "hi");
        var appDir = _work.Combine("app");
        await new OciLayoutSink(appDir, ["latest", "v2"]).WriteAsync(app, default);

        var config = InspectConfig($"oci:{appDir}:v2");
        Assert.Equal(2, config["rootfs"]!["diff_ids"]!.AsArray().Count);
        Assert.Equal("/app", config["config"]!["WorkingDir"]!.GetValue<string>());
        Assert.Contains("GREETING=hi", config["config"]!["Env"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["sh"], config["config"]!["Cmd"]!.AsArray().Select(e => e!.GetValue<string>()));
        Assert.Equal(["COPY /bin/busybox /bin/busybox # buildkit", "CMD [\"sh\"]", "COPY --chown=1000:1000 hello.txt /app/ # buildkit", "ENV GREETING=hi", "WORKDIR /app"],
            config["history"]!.AsArray().Select(h => h!["created_by"]!.GetValue<string>()));
        Assert.Equal("2023-11-14T22:13:20Z", config["created"]!.GetValue<string>());

        var manifest = JsonSerializer.Deserialize<ImageManifest>(Tool.Run("skopeo", "inspect", "--raw", $"oci:{appDir}:latest"))!;
        Assert.Equal(baseImage.Manifest.Layers[0], manifest.Layers[0]);
        Assert.Equal(MediaTypes.OciManifest, manifest.MediaType);

        var copy = _work.Combine("copied");
        Tool.Run("skopeo", "--insecure-policy", "copy", $"oci:{appDir}:latest", $"dir:{copy}");
        Assert.True(File.Exists(Path.Combine(copy, baseImage.Manifest.Layers[0].Digest["sha256:".Length..])));

        // read back without skopeo: the new layout's image has both layers and the unknown-field-preserving config
        var readBack = await new OciLayoutSource(appDir, "latest").ReadImageAsync(basePlatform, default);
        Assert.Equal(app.Config.DiffIds, readBack.Config.DiffIds);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(appDir, "blobs", "sha256")).Length - 2); // + config + manifest
    }

    [Fact]
    public async Task BuildahPullsTheLayoutWithTheSameImageIdAndLayers()
    {
        var image = AppOnTop(await OciLayoutReaderRoundTrip(BusyboxBase(Platform.Current)), "buildah");
        var dir = _work.Combine("for-buildah");
        await new OciLayoutSink(dir, ["b"]).WriteAsync(image, default);
        string[] storage = ["--root", _work.Combine("buildah", "root"), "--runroot", _work.Combine("buildah", "run"), "--storage-driver", "vfs"];

        var id = Tool.Run("buildah", [.. storage, "pull", "--quiet", $"oci:{dir}:b"]).Trim();
        Assert.Equal(image.ConfigDigest.Hex, id);
        var inspected = JsonNode.Parse(Tool.Run("buildah", [.. storage, "inspect", "--type", "image", id]))!;
        Assert.Equal(image.Config.DiffIds.Select(d => d.ToString()), inspected["OCIv1"]!["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal("/app", inspected["OCIv1"]!["config"]!["WorkingDir"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheSameBuildTwiceGivesTheSameManifestDigestAndArchiveBytes()
    {
        var first = BusyboxBase(new Platform("linux", "amd64"));
        var second = BusyboxBase(new Platform("linux", "amd64"));
        Assert.Equal(first.ManifestDigest, second.ManifestDigest);

        await new OciArchiveSink(_work.Combine("a.tar"), ["x"]).WriteAsync(first, default);
        await new OciArchiveSink(_work.Combine("b.tar"), ["x"]).WriteAsync(second, default);
        Assert.Equal(Tool.Sha256Sum(_work.Combine("a.tar")), Tool.Sha256Sum(_work.Combine("b.tar")));
        Assert.Equal(first.ManifestDigest.ToString(), Inspect($"oci-archive:{_work.Combine("a.tar")}:x")["Digest"]!.GetValue<string>());

        var readBack = await new OciArchiveSource(_work.Combine("a.tar"), "x", Path.Combine(_cache.Root, "oci-archives")).ReadImageAsync(first.Platform, default);
        Assert.Equal(first.ManifestDigest.ToString(), readBack.Digest.ToString());
        Assert.Equal(first.Config.DiffIds, readBack.Config.DiffIds);
        Assert.Equal(first.ManifestDigest, new ImageBuilder(readBack, timestamp: Epoch).Build().ManifestDigest);
        var notATar = _work.WriteFile("notes.txt", "not a tar archive at all, just text that is long enough to fill a block");
        Assert.Contains("cannot unpack", (await Assert.ThrowsAsync<DockyardException>(() => new OciArchiveSource(notATar, null, Path.Combine(_cache.Root, "oci-archives")).ReadImageAsync(null, default))).Message);
    }

    [Fact]
    public async Task ADockerArchivePassesSkopeoAndReadsBackAsABase()
    {
        var image = AppOnTop(await OciLayoutReaderRoundTrip(BusyboxBase(new Platform("linux", "amd64"))), "archived");
        var archive = _work.Combine("image.tar");
        await new DockerArchiveSink(archive, ["registry.example.com/team/app:1.0"]).WriteAsync(image, default);

        var inspected = Inspect($"docker-archive:{archive}");
        Assert.Equal(2, inspected["Layers"]!.AsArray().Count);
        var skopeoConfig = InspectConfig($"docker-archive:{archive}");
        Assert.Equal(image.Config.DiffIds.Select(d => d.ToString()), skopeoConfig["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));

        var members = Tool.Run("tar", "-tf", archive).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("manifest.json", members);
        Assert.Contains("repositories", members);
        Assert.Contains($"{image.ConfigDigest.Hex}.json", members);
        Assert.Contains($"{image.Config.DiffIds[1].Hex}/layer.tar", members);

        var compressionsBefore = _cache.Compressions;
        var source = DockerArchiveReader.Read(archive, _cache, "registry.example.com/team/app:1.0");
        Assert.Equal(image.Config.DiffIds, source.Config.DiffIds);
        Assert.Equal(ImageFormat.Docker, source.Format);
        Assert.Equal(MediaTypes.DockerLayerGzip, source.Layers[0].Descriptor.MediaType);
        var rebuilt = new ImageBuilder(source, timestamp: Epoch).Build();
        Assert.Equal(MediaTypes.DockerManifest, rebuilt.Manifest.MediaType);
        Assert.Equal(MediaTypes.DockerConfig, rebuilt.Manifest.Config.MediaType);
        // the archive's layers were already compressed once with the same diff_ids: the cache keeps those blobs
        Assert.Equal(image.Manifest.Layers.Select(l => l.Digest), source.Layers.Select(l => l.Descriptor.Digest));
        Assert.True(_cache.Compressions - compressionsBefore <= 2);
        var hitsBefore = _cache.InputHits;
        DockerArchiveReader.Read(archive, _cache);
        Assert.Equal(hitsBefore + 2, _cache.InputHits);
    }

    [Fact]
    public async Task AMultiPlatformIndexIsWrittenAsLayoutArchiveAndDockerArchive()
    {
        var amd64 = BusyboxBase(new Platform("linux", "amd64"));
        var arm64 = BusyboxBase(new Platform("linux", "arm64", "v8"));
        var index = MultiPlatformImage.Create([amd64, arm64]);
        var dir = _work.Combine("multi");
        await new OciLayoutSink(dir, ["multi"]).WriteAsync(index, default);

        var raw = JsonNode.Parse(Tool.Run("skopeo", "inspect", "--raw", $"oci:{dir}:multi"))!;
        Assert.Equal(MediaTypes.OciIndex, raw["mediaType"]!.GetValue<string>());
        Assert.Equal(["amd64", "arm64"], raw["manifests"]!.AsArray().Select(m => m!["platform"]!["architecture"]!.GetValue<string>()));
        var armCopy = _work.Combine("arm-copy");
        Tool.Run("skopeo", "--insecure-policy", "--override-arch", "arm64", "--override-variant", "v8", "copy", $"oci:{dir}:multi", $"dir:{armCopy}");
        Assert.Equal(arm64.ManifestBytes, File.ReadAllBytes(Path.Combine(armCopy, "manifest.json")));

        var arm = await new OciLayoutSource(dir, "multi").ReadImageAsync(new Platform("linux", "arm64"), default);
        Assert.Equal("arm64", arm.Config.Architecture);
        Assert.Equal("v8", arm.Config.Variant);
        Assert.Contains("has no image for platform linux/s390x", (await Assert.ThrowsAsync<DockyardException>(() => new OciLayoutSource(dir, "multi").ReadImageAsync(new Platform("linux", "s390x"), default))).Message);

        await new OciArchiveSink(_work.Combine("multi.tar"), ["multi"]).WriteAsync(index, default);
        Assert.Equal("arm64", InspectArchitecture(_work.Combine("multi.tar"), "arm64"));
        Assert.Equal("amd64", InspectArchitecture(_work.Combine("multi.tar"), "amd64"));

        await new DockerArchiveSink(_work.Combine("multi-docker.tar"), ["app:multi"], new Platform("linux", "arm64")).WriteAsync(index, default);
        var manifestJson = JsonNode.Parse(Tool.Run("tar", "-xOf", _work.Combine("multi-docker.tar"), "manifest.json"))!.AsArray();
        Assert.Equal(2, manifestJson.Count);
        Assert.Equal(["app:multi"], manifestJson[1]!["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Empty(manifestJson[0]!["RepoTags"]!.AsArray());
        Assert.Equal("arm64", InspectConfig($"docker-archive:{_work.Combine("multi-docker.tar")}:app:multi")["architecture"]!.GetValue<string>());
    }

    private static string InspectArchitecture(string archive, string arch) =>
        JsonNode.Parse(Tool.Run("skopeo", "--override-arch", arch, "inspect", "--config", $"oci-archive:{archive}:multi"))!["architecture"]!.GetValue<string>();

    [Fact]
    public async Task ADockerTypedBaseStaysDockerUnlessOciIsAskedForAndNeverTakesAZstdLayer()
    {
        var dockerBase = BusyboxBase(new Platform("linux", "amd64"), ImageFormat.Docker);
        Assert.Equal(MediaTypes.DockerLayerGzip, dockerBase.Manifest.Layers[0].MediaType);
        var source = dockerBase.Named("base");
        var zstd = new LayerBuilder(Epoch).AddFile("z", LayerContent.FromBytes("z"u8.ToArray())).Build(_cache, LayerCompression.Zstd);

        Assert.Contains("Docker media types only know gzip", Assert.Throws<DockyardException>(() => new ImageBuilder(source, timestamp: Epoch).AddLayer(zstd, _cache, "COPY z /z")).Message);

        var converted = new ImageBuilder(source, ImageFormat.Oci, Epoch).AddLayer(zstd, _cache, "COPY z /z # buildkit").Build();
        Assert.Equal([MediaTypes.OciLayerGzip, MediaTypes.OciLayerZstd], converted.Manifest.Layers.Select(l => l.MediaType));
        Assert.Equal(dockerBase.Manifest.Layers[0].Digest, converted.Manifest.Layers[0].Digest);
        await new OciLayoutSink(_work.Combine("zstd"), ["z"]).WriteAsync(converted, default);
        Assert.Equal(2, InspectConfig($"oci:{_work.Combine("zstd")}:z")["rootfs"]!["diff_ids"]!.AsArray().Count);
    }

    [Fact]
    public async Task OutputKindsParseFromTheOutputFlag()
    {
        Assert.Equal(ImageOutputKind.OciArchive, ImageOutput.ParseKind("oci-archive"));
        Assert.Contains("use oci, oci-archive or docker-archive", Assert.Throws<DockyardException>(() => ImageOutput.ParseKind("tarball")).Message);
        var image = BusyboxBase(new Platform("linux", "amd64"));
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, _work.Combine("out.tar"), image, ["app"]);
        Assert.Equal(["app:latest"], JsonNode.Parse(Tool.Run("tar", "-xOf", _work.Combine("out.tar"), "manifest.json"))![0]!["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    [Fact]
    public async Task WritingIntoAnExistingLayoutMovesTheGivenTagsAndKeepsTheOthers()
    {
        var dir = _work.Combine("shared");
        var amd64 = BusyboxBase(new Platform("linux", "amd64"));
        var arm64 = BusyboxBase(new Platform("linux", "arm64"));
        await new OciLayoutSink(dir, ["a", "latest"]).WriteAsync(amd64, default);
        await new OciLayoutSink(dir, ["b", "latest"]).WriteAsync(arm64, default);

        Assert.Equal(amd64.ManifestDigest.ToString(), Inspect($"oci:{dir}:a")["Digest"]!.GetValue<string>());
        Assert.Equal(arm64.ManifestDigest.ToString(), Inspect($"oci:{dir}:latest")["Digest"]!.GetValue<string>());
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "index.json")))!;
        Assert.Equal(["a", "b", "latest"], index["manifests"]!.AsArray().Select(m => m!["annotations"]![OciLayoutSink.RefNameAnnotation]!.GetValue<string>()).Order());
    }

    /// <summary>docker save writes a layer identical to an earlier one as a symlink to that one's <c>layer.tar</c>.</summary>
    [Fact]
    public void A_docker_archive_whose_repeated_layer_is_a_symlink_reads_both_layers()
    {
        var layerTar = new MemoryStream();
        new LayerBuilder(Epoch).AddFile("same.txt", LayerContent.FromBytes("same\n"u8.ToArray())).WriteTar(layerTar);
        var diffId = Digest.Sha256(layerTar.ToArray());
        var config = ImageConfig.CreateScratch(new Platform("linux", "amd64"));
        config.AddDiffId(diffId);
        config.AddDiffId(diffId);
        var archive = _work.Combine("linked.tar");
        using (var file = File.Create(archive))
        using (var tar = new System.Formats.Tar.TarWriter(file, System.Formats.Tar.TarEntryFormat.Pax))
        {
            void Add(string name, byte[] bytes) =>
                tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(bytes) });
            Add("aaaa/layer.tar", layerTar.ToArray());
            tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.SymbolicLink, "bbbb/layer.tar") { LinkName = "../aaaa/layer.tar" });
            Add("config.json", config.ToJsonBytes());
            Add("manifest.json", System.Text.Encoding.UTF8.GetBytes("""[{"Config":"config.json","RepoTags":["x:1"],"Layers":["aaaa/layer.tar","bbbb/layer.tar"]}]"""));
        }

        var image = DockerArchiveReader.Read(archive, _cache);

        Assert.Equal([diffId, diffId], image.Layers.Select(l => l.DiffId));
        Assert.Equal(image.Layers[0].Descriptor.Digest, image.Layers[1].Descriptor.Digest);
        Assert.Equal("aaaa/layer.tar", DockerArchiveReader.LinkedMember("bbbb/layer.tar", "../aaaa/layer.tar"));
        Assert.Null(DockerArchiveReader.LinkedMember("bbbb/layer.tar", "../../etc/passwd"));
        Assert.Null(DockerArchiveReader.LinkedMember("bbbb/layer.tar", "/etc/passwd"));
    }

    [Fact]
    public async Task ReadersExplainWhatIsMissing()
    {
        Assert.Contains("is not an OCI image layout", (await Assert.ThrowsAsync<DockyardException>(() => new OciLayoutSource(_work.Path, null).ReadImageAsync(null, default))).Message);
        var dir = _work.Combine("one");
        await new OciLayoutSink(dir, ["a"]).WriteAsync(BusyboxBase(new Platform("linux", "amd64")), default);
        Assert.Contains("tags in the layout: a", (await Assert.ThrowsAsync<DockyardException>(() => new OciLayoutSource(dir, "b").ReadImageAsync(null, default))).Message);
        Assert.Contains("does not exist", Assert.Throws<DockyardException>(() => DockerArchiveReader.Read(_work.Combine("none.tar"), _cache)).Message);
    }

    private async Task<Image> OciLayoutReaderRoundTrip(Image image)
    {
        var dir = _work.Combine("rt-" + image.ManifestDigest.Hex[..8]);
        await new OciLayoutSink(dir, ["t"]).WriteAsync(image, default);
        return await new OciLayoutSource(dir, "t").ReadImageAsync(image.Platform, default);
    }
}
