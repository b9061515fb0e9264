using System.IO.Compression;
using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>
/// The one streaming pass that turns tar bytes into a layer blob: tar → sha256 (diff_id) → compressor → sha256
/// (digest) → file. gzip and zstd compress on several cores (<see cref="ParallelGzipStream"/>, zstd's own workers) with
/// output that does not depend on the core count; memory stays bounded by a fixed number of blocks in flight.
/// </summary>
internal static class LayerBlobWriter
{
    /// <summary>gzip level used for every layer (zlib's default; fixed so the bytes do not depend on a preset's meaning).</summary>
    public const int GzipLevel = 6;

    /// <summary>zstd level used for every layer (zstd's default).</summary>
    public const int ZstdLevel = 3;

    /// <summary>Cores used by default: all of them, at most 16 (bounds the blocks and zstd jobs held in memory).</summary>
    public static int DefaultDegreeOfParallelism => Math.Clamp(Environment.ProcessorCount, 1, 16);

    /// <summary>The digests and sizes of a blob written by <see cref="Write"/>.</summary>
    public sealed record Result(Digest DiffId, long DiffSize, Digest Digest, long Size);

    /// <summary>
    /// Writes a blob to <paramref name="blobPath"/>; <paramref name="writeTar"/> writes the uncompressed tar.
    /// <paramref name="degreeOfParallelism"/> (default <see cref="DefaultDegreeOfParallelism"/>) changes speed only, never the bytes.
    /// </summary>
    public static Result Write(string blobPath, LayerCompression compression, Action<Stream> writeTar, int? degreeOfParallelism = null)
    {
        using var file = new FileStream(blobPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var compressed = new DigestingStream(file, leaveOpen: true);
        Digest diffId;
        long diffSize;
        using (var compressor = OpenCompressor(compressed, compression, degreeOfParallelism))
        using (var uncompressed = new DigestingStream(compressor, leaveOpen: true))
        {
            writeTar(uncompressed);
            diffId = uncompressed.GetDigest();
            diffSize = uncompressed.BytesWritten;
        }
        return new Result(diffId, diffSize, compressed.GetDigest(), compressed.BytesWritten);
    }

    /// <summary>
    /// The diff_id and size of the tar <paramref name="writeTar"/> writes, without compressing or storing it: the
    /// cheap pass that lets a registry cache be asked for a layer before it is compressed.
    /// </summary>
    public static (Digest DiffId, long DiffSize) HashTar(Action<Stream> writeTar)
    {
        using var uncompressed = new DigestingStream(Stream.Null, leaveOpen: true);
        writeTar(uncompressed);
        return (uncompressed.GetDigest(), uncompressed.BytesWritten);
    }

    /// <summary>
    /// Opens a compressing stream over <paramref name="target"/>; disposing it finishes the stream and leaves the target
    /// open. The bytes are the same for every <paramref name="degreeOfParallelism"/> ≥ 1.
    /// </summary>
    public static Stream OpenCompressor(Stream target, LayerCompression compression, int? degreeOfParallelism = null)
    {
        var degree = degreeOfParallelism ?? DefaultDegreeOfParallelism;
        ArgumentOutOfRangeException.ThrowIfLessThan(degree, 1, nameof(degreeOfParallelism));
        return compression switch
        {
            LayerCompression.Gzip => new ParallelGzipStream(target, GzipLevel, degree),
            LayerCompression.Zstd => OpenZstd(target, degree),
            LayerCompression.None => new NonClosingStream(target),
            _ => throw new ArgumentOutOfRangeException(nameof(compression)),
        };
    }

    /// <summary>
    /// zstd in its multi-threaded mode with <paramref name="workers"/> ≥ 1: the frame is cut into jobs by size alone
    /// (zstd documents the output as identical for every worker count ≥ 1), so 1 worker and 16 give the same bytes.
    /// </summary>
    private static Stream OpenZstd(Stream target, int workers)
    {
        var zstd = new ZstdSharp.CompressionStream(target, ZstdLevel, leaveOpen: true);
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_nbWorkers, workers);
        return new FlushIgnoringStream(zstd);
    }

    /// <summary>Opens a decompressing stream over a blob of the given compression.</summary>
    public static Stream OpenDecompressor(Stream source, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(source, CompressionMode.Decompress),
        LayerCompression.Zstd => new ZstdSharp.DecompressionStream(source),
        LayerCompression.None => source,
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    /// <summary>Passes writes to a compressor but not flushes (a zstd flush ends a block early and changes the bytes); disposes it.</summary>
    private sealed class FlushIgnoringStream(Stream compressor) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => compressor.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => compressor.Write(buffer);
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) compressor.Dispose();
            base.Dispose(disposing);
        }
    }

    private sealed class NonClosingStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
