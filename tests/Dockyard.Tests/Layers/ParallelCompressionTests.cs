using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Dockyard.Images;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Layers;

/// <summary>
/// Block-parallel gzip and multi-threaded zstd: real decompressors read the output, and the bytes are the same for
/// 1, 2 and 8 cores and however the input is split into writes.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ParallelCompressionTests : IDisposable
{
    private const int Block = ParallelGzipStream.DefaultBlockSize;
    private readonly TempDirectory _work = new("pz");

    public void Dispose() => _work.Dispose();

    public static TheoryData<string, int> Inputs()
    {
        var data = new TheoryData<string, int>();
        foreach (var kind in new[] { "random", "text", "zeros" })
            foreach (var size in new[] { 0, 1, 1000, Block - 1, Block, Block + 1, 2 * Block, 3 * Block + 17 })
                data.Add(kind, size);
        return data;
    }

    /// <summary>Seeded test input: incompressible, text-like or all zeros.</summary>
    internal static byte[] MakeInput(string kind, int size, int seed = 7)
    {
        var bytes = new byte[size];
        var random = new Random(seed);
        switch (kind)
        {
            case "random":
                random.NextBytes(bytes);
                break;
            case "text":
                string[] words = ["layer", "blob", "digest", "manifest", "registry", "dockyard", "tar", "gzip", "zstd", "sha256", "\n"];
                for (var at = 0; at < size;)
                {
                    var word = System.Text.Encoding.ASCII.GetBytes(words[random.Next(words.Length)] + " ");
                    var take = Math.Min(word.Length, size - at);
                    word.AsSpan(0, take).CopyTo(bytes.AsSpan(at));
                    at += take;
                }
                break;
            case "mixed":
                var text = MakeInput("text", size, seed);
                text.CopyTo(bytes, 0);
                for (var at = 0; at < size; at += 5 * 65536) random.NextBytes(bytes.AsSpan(at, Math.Min(65536, size - at)));
                break;
        }
        return bytes;
    }

    private static byte[] Compress(byte[] input, LayerCompression compression, int degree, int chunk = int.MaxValue)
    {
        using var output = new MemoryStream();
        using (var compressor = LayerBlobWriter.OpenCompressor(output, compression, degree))
        {
            for (var at = 0; at < input.Length; at += chunk)
                compressor.Write(input, at, Math.Min(chunk, input.Length - at));
        }
        return output.ToArray();
    }

    private string Save(byte[] bytes, string name)
    {
        var path = _work.Combine(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void GzipIsOneStandardMemberThatGunzipAndDotNetRead(string kind, int size)
    {
        var input = MakeInput(kind, size);
        var gz = Compress(input, LayerCompression.Gzip, degree: 2);
        var path = Save(gz, "blob.gz");

        Tool.Run("gzip", "-t", path);
        Tool.Decompress(path, _work.Combine("gunzipped"), "gzip");
        Assert.Equal(SHA256.HashData(input), SHA256.HashData(File.ReadAllBytes(_work.Combine("gunzipped"))));
        using (var gunzip = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress))
        using (var read = new MemoryStream())
        {
            gunzip.CopyTo(read);
            Assert.Equal(input, read.ToArray());
        }

        // one member: header, one deflate stream that ends exactly at the trailer, CRC-32 and ISIZE of the whole input
        Assert.Equal(new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF }, gz[..10]);
        Assert.Equal(Crc32.HashToUInt32(input), BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)));
        Assert.Equal((uint)input.Length, BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)));
        using var body = new DeflateStream(new MemoryStream(gz[10..^8]), CompressionMode.Decompress);
        using var inflated = new MemoryStream();
        body.CopyTo(inflated);
        Assert.Equal(input.Length, inflated.Length);
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void ZstdIsReadByTheRealZstdAndByZstdSharp(string kind, int size)
    {
        var input = MakeInput(kind, size);
        var zst = Compress(input, LayerCompression.Zstd, degree: 2);
        var path = Save(zst, "blob.zst");

        Tool.Run("zstd", "-q", "-t", path);
        Tool.Decompress(path, _work.Combine("unzstd"), "zstd");
        Assert.Equal(SHA256.HashData(input), SHA256.HashData(File.ReadAllBytes(_work.Combine("unzstd"))));
        using var decompress = new ZstdSharp.DecompressionStream(new MemoryStream(zst));
        using var read = new MemoryStream();
        decompress.CopyTo(read);
        Assert.Equal(input, read.ToArray());
    }

    [Theory]
    [InlineData(LayerCompression.Gzip)]
    [InlineData(LayerCompression.Zstd)]
    public void TheBytesAreTheSameOnOneTwoAndEightCoresWhateverTheWriteSizes(LayerCompression compression)
    {
        // zstd cuts jobs of 8 MiB at level 3: 20 MiB gives it three jobs; gzip gets 20 blocks
        var input = MakeInput("mixed", 20 * 1024 * 1024 + 12345);
        var one = Compress(input, compression, degree: 1);
        Assert.Equal(one, Compress(input, compression, degree: 2));
        Assert.Equal(one, Compress(input, compression, degree: 8));
        Assert.Equal(one, Compress(input, compression, degree: 8, chunk: 4093));
        Assert.Equal(one, Compress(input, compression, degree: 2, chunk: Block + 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1000)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    public void AnInputOfAtMostOneBlockKeepsTheSingleStreamGzipBytes(int size)
    {
        var input = MakeInput("text", size);
        using var single = new MemoryStream();
        using (var gzip = new GZipStream(single, new ZLibCompressionOptions { CompressionLevel = LayerBlobWriter.GzipLevel }, leaveOpen: true))
            gzip.Write(input);
        var expected = single.ToArray();
        if (size == 0) expected = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]; // GZipStream writes nothing at all for no input; this is zlib's empty member
        expected[9] = 0xFF;

        Assert.Equal(expected, Compress(input, LayerCompression.Gzip, degree: 2));
    }

    [Fact]
    public void BlocksEndWithASyncFlushAndTheLastIsFinished()
    {
        var input = MakeInput("text", 3000);
        using var middle = ParallelGzipStream.DeflateBlock(input, 6, last: false);
        Assert.Equal(new byte[] { 0, 0, 0xFF, 0xFF }, middle.WrittenSpan[^4..].ToArray());
        using var last = ParallelGzipStream.DeflateBlock(input, 6, last: true);
        Assert.NotEqual(new byte[] { 0, 0, 0xFF, 0xFF }, last.WrittenSpan[^4..].ToArray());
        using var empty = ParallelGzipStream.DeflateBlock([], 6, last: true);
        Assert.Equal(new byte[] { 3, 0 }, empty.WrittenSpan.ToArray());
    }

    [Fact]
    public void ASmallBlockSizeStillGivesOneValidMember()
    {
        var input = MakeInput("mixed", 1_000_000);
        using var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, 6, degreeOfParallelism: 3, blockSize: 4096))
            gzip.Write(input);
        var path = Save(output.ToArray(), "small-blocks.gz");
        Tool.Run("gzip", "-t", path);
        Tool.Decompress(path, _work.Combine("small-blocks"), "gzip");
        Assert.Equal(input, File.ReadAllBytes(_work.Combine("small-blocks")));
    }

    [Theory]
    [InlineData(LayerCompression.Gzip, "gzip")]
    [InlineData(LayerCompression.Zstd, "zstd")]
    public void AMultiBlockLayerHasTheSameDigestOnOneAndEightCoresAndMatchesTheRealTools(LayerCompression compression, string tool)
    {
        var content = MakeInput("mixed", 12 * 1024 * 1024 + 5);
        void WriteTar(Stream output) => output.Write(content); // a blob's writer takes any bytes; the layer is tar upstream
        var one = LayerBlobWriter.Write(_work.Combine("one"), compression, WriteTar, degreeOfParallelism: 1);
        var eight = LayerBlobWriter.Write(_work.Combine("eight"), compression, WriteTar, degreeOfParallelism: 8);

        Assert.Equal(one, eight);
        Assert.Equal(Tool.Sha256Sum(_work.Combine("eight")), eight.Digest.ToString());
        Tool.Decompress(_work.Combine("eight"), _work.Combine("plain"), tool);
        Assert.Equal(Tool.Sha256Sum(_work.Combine("plain")), eight.DiffId.ToString());
        Assert.Equal(content.Length, eight.DiffSize);
    }

    [Fact]
    public async Task BuildahPullsMultiBlockGzipAndMultiJobZstdLayersAndFindsTheirDiffIds()
    {
        // containers/image decompresses each layer with Go's gzip and zstd readers and checks it against the config's diff_ids
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var cache = new LayerCache(_work.Combine("cache"));
        var gzip = new LayerBuilder(epoch).AddFile("data/gzip.bin", LayerContent.FromBytes(MakeInput("mixed", 5 * Block + 333, seed: 1))).Build(cache, LayerCompression.Gzip);
        var zstd = new LayerBuilder(epoch).AddFile("data/zstd.bin", LayerContent.FromBytes(MakeInput("mixed", 18 * Block + 333, seed: 2))).Build(cache, LayerCompression.Zstd);
        var builder = new ImageBuilder(Platform.Current, ImageFormat.Oci, epoch);
        builder.AddLayer(gzip, cache, "COPY gzip.bin /data/ # buildkit");
        builder.AddLayer(zstd, cache, "COPY zstd.bin /data/ # buildkit");
        var image = builder.Build();
        var layout = _work.Combine("layout");
        await new OciLayoutSink(layout, ["parallel"]).WriteAsync(image, CancellationToken.None);
        string[] storage = ["--root", _work.Combine("buildah", "root"), "--runroot", _work.Combine("buildah", "run"), "--storage-driver", "vfs"];

        var id = Tool.Run("buildah", [.. storage, "pull", "--quiet", $"oci:{layout}:parallel"]).Trim();
        Assert.Equal(image.ConfigDigest.Hex, id);
        var inspected = JsonNode.Parse(Tool.Run("buildah", [.. storage, "inspect", "--type", "image", id]))!;
        Assert.Equal([gzip.DiffId.ToString(), zstd.DiffId.ToString()], inspected["OCIv1"]!["rootfs"]!["diff_ids"]!.AsArray().Select(d => d!.GetValue<string>()));
        var container = Tool.Run("buildah", [.. storage, "from", "--pull-never", id]).Trim();
        var root = Tool.Run("buildah", [.. storage, "mount", container]).Trim();
        Assert.Equal(SHA256.HashData(MakeInput("mixed", 5 * Block + 333, seed: 1)), SHA256.HashData(File.ReadAllBytes(Path.Combine(root, "data", "gzip.bin"))));
        Assert.Equal(SHA256.HashData(MakeInput("mixed", 18 * Block + 333, seed: 2)), SHA256.HashData(File.ReadAllBytes(Path.Combine(root, "data", "zstd.bin"))));
        Tool.Run("buildah", [.. storage, "rm", container]);
    }
}
