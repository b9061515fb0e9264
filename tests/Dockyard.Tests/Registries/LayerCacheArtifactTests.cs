using System.Text;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Registries.Cache;

namespace Dockyard.Tests.Registries;

/// <summary>The registry layer cache's artifact: written and read back, and read as hostile input.</summary>
public sealed class LayerCacheArtifactTests
{
    private static Digest Sha(string text) => Digest.Sha256(Encoding.UTF8.GetBytes(text));

    private static LayerCacheArtifact.Entry Entry(string name, string mediaType = MediaTypes.OciLayerGzip) =>
        new(Sha("diff " + name), new Descriptor { MediaType = mediaType, Digest = Sha("blob " + name).ToString(), Size = name.Length * 100 });

    [Fact]
    public void An_artifact_reads_back_its_entries_and_its_layers_are_their_blobs()
    {
        var entries = new[] { Entry("a"), Entry("b", MediaTypes.OciLayerZstd) };
        var (manifest, config) = LayerCacheArtifact.Create(entries);

        var parsed = manifest.ParseManifest();
        Assert.True(LayerCacheArtifact.Is(parsed));
        Assert.Equal(LayerCacheArtifact.MediaType, parsed.ArtifactType);
        Assert.Equal(Digest.Sha256(config).ToString(), parsed.Config.Digest);
        Assert.Equal(entries.Select(e => e.Blob.Digest), parsed.Layers.Select(l => l.Digest));
        var read = LayerCacheArtifact.Parse(config, parsed);
        Assert.Equal(entries, read);
        Assert.Equal([LayerCompression.Gzip, LayerCompression.Zstd], read.Select(e => e.Compression));
    }

    [Fact]
    public void Entries_that_do_not_parse_or_whose_blob_the_manifest_does_not_list_are_dropped()
    {
        var listed = Entry("listed");
        var (manifest, _) = LayerCacheArtifact.Create([listed]);
        var unlisted = Entry("unlisted");
        var config = Encoding.UTF8.GetBytes($$"""
            {"version":1,"layers":[
              {"diffId":"{{listed.DiffId}}","digest":"{{listed.Blob.Digest}}","size":{{listed.Blob.Size}},"mediaType":"{{listed.Blob.MediaType}}"},
              {"diffId":"{{unlisted.DiffId}}","digest":"{{unlisted.Blob.Digest}}","size":1,"mediaType":"{{MediaTypes.OciLayerGzip}}"},
              {"diffId":"not-a-digest","digest":"{{listed.Blob.Digest}}","size":1,"mediaType":"{{MediaTypes.OciLayerGzip}}"},
              {"diffId":"{{listed.DiffId}}","digest":"{{listed.Blob.Digest}}","size":-5,"mediaType":"{{MediaTypes.OciLayerGzip}}"},
              {"diffId":"{{listed.DiffId}}","digest":"{{listed.Blob.Digest}}","size":1,"mediaType":"text/html"},
              null
            ]}
            """);

        Assert.Equal([listed], LayerCacheArtifact.Parse(config, manifest.ParseManifest()));
        Assert.Empty(LayerCacheArtifact.Parse(Encoding.UTF8.GetBytes("{\"layers\": 7}"), manifest.ParseManifest()));
        Assert.Empty(LayerCacheArtifact.Parse(Encoding.UTF8.GetBytes("<html>"), manifest.ParseManifest()));
    }

    [Fact]
    public void An_image_is_a_cache_of_its_layers_paired_with_its_diff_ids_and_a_mismatched_one_is_none()
    {
        var image = Tests.Infrastructure.TestImages.Create("cache me");
        var manifest = image.Manifest.ParseManifest();
        var entries = LayerCacheArtifact.FromImage(manifest, image.Config.Bytes, "test");

        Assert.Equal(ImageConfig.Parse(image.Config.Bytes).DiffIds, entries.Select(e => e.DiffId));
        Assert.Equal(manifest.Layers.Select(l => l.Digest), entries.Select(e => e.Blob.Digest));
        Assert.All(entries, e => Assert.StartsWith("application/vnd.oci.image.layer.", e.Blob.MediaType, StringComparison.Ordinal));
        var truncated = manifest with { Layers = manifest.Layers.Take(manifest.Layers.Count - 1).ToList() };
        Assert.Empty(LayerCacheArtifact.FromImage(truncated, image.Config.Bytes, "test"));
        Assert.Empty(LayerCacheArtifact.FromImage(manifest, Encoding.UTF8.GetBytes("not json"), "test"));
    }
}
