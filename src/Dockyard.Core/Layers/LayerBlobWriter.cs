using System.IO.Compression;
using Dockyard.Images;

namespace Dockyard.Layers;

/// <summary>
/// The one streaming pass that turns tar bytes into a layer blob: tar → sha256 (diff_id) → compressor → sha256
/// (digest) → file. Nothing is buffered beyond the compressor's window.
/// </summary>
internal static class LayerBlobWriter
{
    /// <summary>gzip level used for every layer (zlib's default; fixed so the bytes do not depend on a preset's meaning).</summary>
    public const int GzipLevel = 6;

    /// <summary>zstd level used for every layer (zstd's default).</summary>
    public const int ZstdLevel = 3;

    /// <summary>The digests and sizes of a blob written by <see cref="Write"/>.</summary>
    public sealed record Result(Digest DiffId, long DiffSize, Digest Digest, long Size);

    /// <summary>Writes a blob to <paramref name="blobPath"/>; <paramref name="writeTar"/> writes the uncompressed tar.</summary>
    public static Result Write(string blobPath, LayerCompression compression, Action<Stream> writeTar)
    {
        using var file = new FileStream(blobPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var compressed = new DigestingStream(file, leaveOpen: true);
        Digest diffId;
        long diffSize;
        using (var compressor = OpenCompressor(compressed, compression))
        using (var uncompressed = new DigestingStream(compressor, leaveOpen: true))
        {
            writeTar(uncompressed);
            diffId = uncompressed.GetDigest();
            diffSize = uncompressed.BytesWritten;
        }
        return new Result(diffId, diffSize, compressed.GetDigest(), compressed.BytesWritten);
    }

    /// <summary>Opens a compressing stream over <paramref name="target"/>; disposing it finishes the frame and leaves the target open.</summary>
    public static Stream OpenCompressor(Stream target, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(new GzipOsByteStream(target), new ZLibCompressionOptions { CompressionLevel = GzipLevel, CompressionStrategy = ZLibCompressionStrategy.Default }, leaveOpen: false),
        LayerCompression.Zstd => new ZstdSharp.CompressionStream(target, ZstdLevel, leaveOpen: true),
        LayerCompression.None => new NonClosingStream(target),
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    /// <summary>Opens a decompressing stream over a blob of the given compression.</summary>
    public static Stream OpenDecompressor(Stream source, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(source, CompressionMode.Decompress),
        LayerCompression.Zstd => new ZstdSharp.DecompressionStream(source),
        LayerCompression.None => source,
        _ => throw new ArgumentOutOfRangeException(nameof(compression)),
    };

    /// <summary>
    /// Sets the gzip header's OS byte (offset 9) to 255 "unknown", as Go's compress/gzip does: zlib stamps the build
    /// platform there (3 on Unix), which would make the same layer's digest differ between Linux and Windows.
    /// Leaves the target open.
    /// </summary>
    private sealed class GzipOsByteStream(Stream inner) : NonClosingStream(inner)
    {
        private long _position;

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (_position <= 9 && _position + buffer.Length > 9)
            {
                var copy = buffer.ToArray();
                copy[9 - _position] = 0xFF;
                base.Write(copy);
            }
            else
            {
                base.Write(buffer);
            }
            _position += buffer.Length;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    }

    private class NonClosingStream(Stream inner) : Stream
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
