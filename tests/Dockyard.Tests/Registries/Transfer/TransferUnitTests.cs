using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Registries;
using Dockyard.Registries.Manifests;
using Dockyard.Registries.Transfer;
using Dockyard.Registries.Transport;

namespace Dockyard.Tests.Registries.Transfer;

public class TransferUnitTests
{
    [Theory]
    [InlineData("http://r/v2/a/blobs/uploads/uuid", "http://r/v2/a/blobs/uploads/uuid?digest=sha256%3Aab")]
    [InlineData("http://r/v2/a/blobs/uploads/uuid?_state=xyz", "http://r/v2/a/blobs/uploads/uuid?_state=xyz&digest=sha256%3Aab")]
    public void Digest_is_appended_with_question_mark_or_ampersand(string location, string expected) =>
        Assert.Equal(expected, BlobUploader.WithDigest(new Uri(location), "sha256:ab").AbsoluteUri);

    [Theory]
    [InlineData(null, 100_000_000L, null, null)]
    [InlineData(1024L * 1024, 1024L * 1024, null, null)]            // fits in one chunk: monolithic
    [InlineData(1024L * 1024, 20L << 20, null, 5L << 20)]            // raised to ECR's 5 MiB
    [InlineData(8L << 20, 20L << 20, null, 8L << 20)]
    [InlineData(8L << 20, 20L << 20, 10L << 20, 10L << 20)]          // OCI-Chunk-Min-Length wins when larger
    public void Chunk_size_respects_the_5_MiB_minimum_and_the_registry_minimum(long? configured, long blob, long? registryMinimum, long? expected) =>
        Assert.Equal(expected, new RegistryClientOptions { ChunkSize = configured }.ChunkSizeFor(blob, registryMinimum));

    [Fact]
    public void Timeout_grows_with_the_blob_size_beyond_100_seconds()
    {
        var options = new RegistryClientOptions { RequestTimeout = TimeSpan.FromSeconds(100), MinimumThroughput = 1024 * 1024 };
        Assert.Equal(TimeSpan.FromSeconds(100), options.TimeoutFor(0));
        Assert.Equal(TimeSpan.FromSeconds(100 + 2048), options.TimeoutFor(2L << 30));
    }

    [Fact]
    public void Insecure_registries_come_from_the_sdk_environment_variable_too()
    {
        var options = new RegistryClientOptions { InsecureRegistries = ["a:5000"] }
            .WithEnvironment(new Dictionary<string, string?> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = "b.local:443, c.local ;a:5000" });
        Assert.Equal(["a:5000", "b.local:443", "c.local"], options.InsecureRegistries);
    }

    [Fact]
    public void Platform_selection_prefers_the_exact_variant_and_defaults_arm64_to_v8()
    {
        var index = new ImageIndex
        {
            Manifests =
            [
                Entry("1", "linux", "amd64"), Entry("2", "linux", "arm", "v6"), Entry("3", "linux", "arm", "v7"), Entry("4", "linux", "arm64", "v8"),
            ],
        };
        Assert.EndsWith("1", PlatformSelector.Select(index, Platform.Parse("linux/amd64"), "x").Digest);
        Assert.EndsWith("3", PlatformSelector.Select(index, Platform.Parse("linux/arm/v7"), "x").Digest);
        Assert.EndsWith("4", PlatformSelector.Select(index, Platform.Parse("linux/arm64"), "x").Digest);
        var error = Assert.Throws<DockyardException>(() => PlatformSelector.Select(index, Platform.Parse("linux/s390x"), "img:1"));
        Assert.Contains("img:1 has no image for platform linux/s390x", error.Message);
        Assert.Contains("linux/arm/v6", error.Message);
    }

    [Fact]
    public void Manifest_content_takes_the_type_from_content_type_or_body_and_refuses_schema1()
    {
        var body = Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.list.v2+json","manifests":[]}""");
        var fromHeader = ManifestContent.FromBytes(body, "application/vnd.docker.distribution.manifest.list.v2+json; charset=utf-8", "x");
        Assert.True(fromHeader.IsIndex);
        Assert.Equal(Digest.Sha256(body), fromHeader.Digest);
        Assert.True(ManifestContent.FromBytes(body, "application/json", "x").IsIndex);

        var schema1 = Encoding.UTF8.GetBytes("""{"schemaVersion":1,"name":"x"}""");
        var error = Assert.Throws<DockyardException>(() => ManifestContent.FromBytes(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws", "old:1"));
        Assert.Contains("old:1", error.Message);
        Assert.Throws<DockyardException>(() => ManifestContent.FromBytes(Encoding.UTF8.GetBytes("not json"), null, "x"));
    }

    [Fact]
    public async Task Verifying_stream_refuses_wrong_bytes_and_accepts_right_ones()
    {
        var bytes = Encoding.UTF8.GetBytes("layer bytes");
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerTar, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };
        await using (var ok = new DigestVerifyingStream(new MemoryStream(bytes), descriptor, "repo", TimeSpan.FromSeconds(5)))
            await ok.CopyToAsync(Stream.Null);

        var tampered = (byte[])bytes.Clone();
        tampered[0] ^= 1;
        await using var bad = new DigestVerifyingStream(new MemoryStream(tampered), descriptor, "repo", TimeSpan.FromSeconds(5));
        var error = await Assert.ThrowsAsync<DockyardException>(() => bad.CopyToAsync(Stream.Null));
        Assert.Contains(descriptor.Digest, error.Message);
        Assert.Contains("repo", error.Message);
    }

    [Fact]
    public async Task Invalid_extra_tag_fails_before_anything_is_sent()
    {
        using var client = new RegistryClient(new Dockyard.Credentials.ExplicitCredentialProvider());
        var manifest = ManifestContent.FromBytes(Encoding.UTF8.GetBytes("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}"""), null, "x");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            client.PushImageAsync(Dockyard.Registries.References.ImageReference.Parse("registry.invalid/app:1"), manifest, [], ["ok", "not ok"]));
        Assert.Contains("'not ok' is not a valid tag for registry.invalid/app", error.Message);
    }

    private static Descriptor Entry(string suffix, string os, string arch, string? variant = null) => new()
    {
        MediaType = MediaTypes.OciManifest, Digest = "sha256:" + new string('0', 63) + suffix, Size = 1,
        Platform = new DescriptorPlatform { Os = os, Architecture = arch, Variant = variant },
    };
}
