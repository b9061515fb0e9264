using System.Text;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Registries.Manifests;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Layers;
using Dockyard.UseCases;
using Xunit;

namespace Dockyard.Tests.Images;

/// <summary>Damaged and hostile images: every source checks digests, diff_ids, descriptors and shapes before use.</summary>
public sealed class HostileInputTests : IDisposable
{
    private readonly TempDirectory _work = new("hostile");

    public void Dispose() => _work.Dispose();

    private HostContext Host() => new(new Dictionary<string, string> { ["HOME"] = _work.Combine("home"), ["DOCKYARD_CACHE"] = _work.Combine("cache") }, _work.Path)
    { HomeDirectory = _work.Combine("home") };

    private Task<ImageCopyResult> CopyAsync(string source, string destination) =>
        ImageCopy.RunAsync(Host(), new ImageCopyRequest { Source = source, Destination = destination }, CancellationToken.None);

    /// <summary>A good OCI layout of a two-layer test image, tagged <c>t</c>.</summary>
    private (string Directory, TestImage Image) GoodLayout(string name)
    {
        var image = TestImages.Create("hostile " + name);
        var directory = _work.Combine(name);
        TestImages.WriteOciLayout(image, directory, "t");
        return (directory, image);
    }

    private static string BlobPath(string layout, string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);

    [Fact]
    public async Task ASwappedLayerBlobInAnOciLayoutIsRefusedAndNothingIsWritten()
    {
        var (layout, image) = GoodLayout("swapped");
        var victim = image.Layers[1].Descriptor.Digest;
        File.WriteAllBytes(BlobPath(layout, victim), new byte[image.Layers[1].Bytes.Length]);

        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"oci-archive:{_work.Combine("out.tar")}:t"));
        Assert.Contains(victim, error.Message);
        Assert.Contains("does not match", error.Message);
        Assert.False(File.Exists(_work.Combine("out.tar")));

        var toLayout = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"oci:{_work.Combine("copy")}:t"));
        Assert.Contains("does not match", toLayout.Message);
        Assert.False(File.Exists(Path.Combine(_work.Combine("copy"), "index.json")));
    }

    [Fact]
    public async Task ASwappedLayerInADockerArchiveIsRefusedByItsDiffId()
    {
        var (layout, image) = GoodLayout("for-archive");
        var archive = _work.Combine("good.tar");
        await CopyAsync($"oci:{layout}:t", $"docker-archive:{archive}:dockyard.test/swap:1");
        var unpacked = _work.Combine("unpacked");
        Directory.CreateDirectory(unpacked);
        Tool.Run("tar", "-xf", archive, "-C", unpacked);
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(unpacked, "manifest.json")))!.AsArray()[0]!;
        var layers = manifest["Layers"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        File.Copy(Path.Combine(unpacked, layers[0]), Path.Combine(unpacked, layers[1]), overwrite: true);
        var damaged = _work.Combine("damaged.tar");
        Tool.Run("tar", "-cf", damaged, "-C", unpacked, ".");

        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"docker-archive:{damaged}", $"oci:{_work.Combine("never")}:t"));
        Assert.Contains("diff_id", error.Message);
        Assert.Contains("damaged", error.Message);
    }

    [Fact]
    public async Task ALayerBlobThatUnpacksToAnotherDiffIdIsRefusedWhenWrittenAsADockerArchive()
    {
        var (layout, image) = GoodLayout("wrong-diffid");
        // Rewrite the config so that layer 2's diff_id is layer 1's: every blob still matches its digest.
        var config = JsonNode.Parse(image.Config.Bytes)!;
        var diffIds = config["rootfs"]!["diff_ids"]!.AsArray();
        diffIds[1] = diffIds[0]!.GetValue<string>();
        var configBytes = Encoding.UTF8.GetBytes(config.ToJsonString());
        var configDigest = Digest.Sha256(configBytes).ToString();
        File.WriteAllBytes(BlobPath(layout, configDigest), configBytes);
        var manifestNode = JsonNode.Parse(image.Manifest.Bytes)!;
        manifestNode["config"]!["digest"] = configDigest;
        manifestNode["config"]!["size"] = configBytes.Length;
        RepointIndex(layout, Encoding.UTF8.GetBytes(manifestNode.ToJsonString()));

        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"docker-archive:{_work.Combine("x.tar")}:x:1"));
        Assert.Contains("unpacks to diff_id", error.Message);
        Assert.False(File.Exists(_work.Combine("x.tar")));
    }

    [Theory]
    [InlineData("sha256:../../../../etc/passwd", 10, "is not a valid digest")]
    [InlineData("md5:d41d8cd98f00b204e9800998ecf8427e", 10, "is not a valid digest")]
    [InlineData("sha256:abc", 10, "is not a valid digest")]
    [InlineData("sha256:0000000000000000000000000000000000000000000000000000000000000000", -5, "negative size")]
    public async Task InvalidDigestsAndSizesAreRefusedBeforeAnyUse(string digest, long size, string expected)
    {
        var (layout, image) = GoodLayout("bad-" + Guid.NewGuid().ToString("N")[..6]);
        var manifestNode = JsonNode.Parse(image.Manifest.Bytes)!;
        manifestNode["layers"]![0]!["digest"] = digest;
        manifestNode["layers"]![0]!["size"] = size;
        var bytes = Encoding.UTF8.GetBytes(manifestNode.ToJsonString());
        RepointIndex(layout, bytes);

        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"oci:{_work.Combine("never")}:t"));
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("etc/passwd", Directory.Exists(_work.Combine("never")) ? string.Join(",", Directory.GetFiles(_work.Combine("never"), "*", SearchOption.AllDirectories)) : "");

        // The registry path: the same manifest bytes are refused when parsed, before any blob request is built.
        var fromRegistry = ManifestContent.FromBytes(bytes, MediaTypes.OciManifest, "registry.example.com/app:1");
        Assert.Contains(expected, Assert.Throws<DockyardException>(() => fromRegistry.References()).Message);
    }

    [Fact]
    public async Task AnIndexEntryWithAHostileDigestIsRefused()
    {
        var (layout, _) = GoodLayout("bad-index");
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        index["manifests"]![0]!["digest"] = "sha256:../../../../etc/passwd";
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"oci:{_work.Combine("never")}:t"));
        Assert.Contains("index.json", error.Message);
        Assert.Contains("is not a valid digest", error.Message);
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"manifests":null}""", "has no \"manifests\" list")]
    [InlineData("""{"schemaVersion":2,"manifests":[null]}""", "is null")]
    [InlineData("""null""", "empty (null)")]
    [InlineData("""{"schemaVersion":2,"manifests":{}}""", "is not valid")]
    public async Task ADamagedIndexJsonIsAClearError(string indexJson, string expected)
    {
        var (layout, _) = GoodLayout("damaged-index-" + Guid.NewGuid().ToString("N")[..6]);
        File.WriteAllText(Path.Combine(layout, "index.json"), indexJson);
        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}", $"oci:{_work.Combine("never")}:t"));
        Assert.Contains(expected, error.Message);
        Assert.Contains("oci:", error.Message);
    }

    [Theory]
    [InlineData("config", "no \"config\" descriptor")]
    [InlineData("layers", "no \"layers\" list")]
    public async Task AManifestWithANullConfigOrLayersIsAClearError(string field, string expected)
    {
        var (layout, image) = GoodLayout("null-" + field);
        var manifestNode = JsonNode.Parse(image.Manifest.Bytes)!;
        manifestNode[field] = null;
        RepointIndex(layout, Encoding.UTF8.GetBytes(manifestNode.ToJsonString()));
        var error = await Assert.ThrowsAsync<DockyardException>(() => ImageInspect.RunAsync(Host(), new ImageInspectRequest { Image = $"oci:{layout}:t" }, CancellationToken.None));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task AManifestJsonWithoutConfigOrLayersInADockerArchiveIsAClearError()
    {
        var staging = _work.Combine("bad-archive");
        Directory.CreateDirectory(staging);
        File.WriteAllText(Path.Combine(staging, "manifest.json"), """[{"Config":null,"RepoTags":["x:1"],"Layers":null}]""");
        var archive = _work.Combine("bad.tar");
        Tool.Run("tar", "-cf", archive, "-C", staging, "manifest.json");
        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"docker-archive:{archive}", $"oci:{_work.Combine("never")}:t"));
        Assert.Contains("has no Config or Layers", error.Message);
    }

    // Found by the docker-archive fuzz target (tests/Dockyard.Fuzz/corpus/docker-archive/): System.Formats.Tar's
    // OverflowException, InvalidOperationException and NotSupportedException escaped the reader as crashes.
    [Theory]
    [InlineData("overflowing-size", "the file is not a valid tar archive (a size in a header is out of range)")]
    [InlineData("pax-longer-than-data", "the file is not a valid tar archive (")]
    [InlineData("sparse-entry", "holds a tar entry Dockyard cannot read, among its members (")]
    public async Task ADockerArchiveWithHeadersTheTarReaderRejectsIsAClearError(string input, string expected)
    {
        var archive = _work.Combine(input + ".tar");
        File.WriteAllBytes(archive, FuzzCorpus.Input("docker-archive", input));
        var error = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"docker-archive:{archive}", $"oci:{_work.Combine("never")}:t"));
        Assert.StartsWith($"docker-archive:{archive}", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task FileDestinationsNeverReplaceADirectoryOrASymbolicLink()
    {
        var (layout, _) = GoodLayout("dest");
        var directory = _work.Combine("a-directory.tar");
        Directory.CreateDirectory(directory);
        var toDirectory = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"docker-archive:{directory}:x:1"));
        Assert.Contains("is a directory", toDirectory.Message);

        var target = _work.WriteFile("precious.txt", "keep me");
        var link = _work.Combine("link.tar");
        File.CreateSymbolicLink(link, target);
        var toLink = await Assert.ThrowsAsync<DockyardException>(() => CopyAsync($"oci:{layout}:t", $"oci-archive:{link}:t"));
        Assert.Contains("symbolic link", toLink.Message);
        Assert.Equal("keep me", File.ReadAllText(target));
    }

    [Fact]
    public async Task LayoutLayersReadForABuildAreVerifiedToo()
    {
        var (layout, image) = GoodLayout("build-base");
        File.WriteAllBytes(BlobPath(layout, image.Layers[1].Descriptor.Digest), [0x1f, 0x8b, 0, 0]);
        var read = await new OciLayoutSource(layout, "t").ReadImageAsync(null, default);
        var error = await Assert.ThrowsAsync<DockyardException>(async () =>
        {
            await using var stream = await read.Layers[1].Blob.OpenAsync(default);
            await stream.CopyToAsync(Stream.Null);
        });
        Assert.Contains("does not match its descriptor", error.Message);
    }

    /// <summary>Stores <paramref name="manifest"/> as a blob and points the layout's only entry at it.</summary>
    private static void RepointIndex(string layout, byte[] manifest)
    {
        var digest = Digest.Sha256(manifest).ToString();
        File.WriteAllBytes(BlobPath(layout, digest), manifest);
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(layout, "index.json")))!;
        index["manifests"]![0]!["digest"] = digest;
        index["manifests"]![0]!["size"] = manifest.Length;
        File.WriteAllText(Path.Combine(layout, "index.json"), index.ToJsonString());
    }
}
