using System.Security.Cryptography;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>The bytes of a regular file in a layer: a file on disk, bytes in memory, or a stream of known length.</summary>
public abstract class LayerContent
{
    private protected LayerContent() { }

    /// <summary>The number of bytes the entry holds.</summary>
    public abstract long Length { get; }

    /// <summary>Opens the content for reading from its start.</summary>
    public abstract Stream OpenRead();

    /// <summary>
    /// A short text that changes whenever the bytes change, used in the layer cache's input key: the full path, size
    /// and last-write time of a file on disk; the sha256 of in-memory bytes; the identity a stream's owner supplies.
    /// </summary>
    internal abstract string Identity { get; }

    /// <summary>Content read from <paramref name="path"/> when the layer is written.</summary>
    /// <exception cref="DockyardException">The file does not exist.</exception>
    public static LayerContent FromFile(string path) => new FileContent(path);

    /// <summary>Content held in memory.</summary>
    public static LayerContent FromBytes(ReadOnlyMemory<byte> bytes) => new BytesContent(bytes);

    /// <summary>
    /// Content produced by <paramref name="open"/> (e.g. a decompressing stream), exactly <paramref name="length"/> bytes;
    /// <paramref name="identity"/> must change whenever the bytes do (a digest is ideal).
    /// </summary>
    public static LayerContent FromStream(Func<Stream> open, long length, string identity) => new StreamContent(open, length, identity);

    private sealed class FileContent : LayerContent
    {
        private readonly FileInfo _file;

        public FileContent(string path)
        {
            _file = new FileInfo(Path.GetFullPath(path));
            if (!_file.Exists)
                throw new DockyardException($"Cannot add '{path}' to a layer: the file does not exist. Check the source path.");
        }

        public override long Length => _file.Length;

        public override Stream OpenRead()
        {
            try
            {
                return new FileStream(_file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                throw new DockyardException($"Cannot add '{_file.FullName}' to a layer: {e.Message.TrimEnd('.')}. Check that the file is readable.", e);
            }
        }

        internal override string Identity
        {
            get
            {
                _file.Refresh();
                return $"file:{_file.FullName}:{_file.Length}:{_file.LastWriteTimeUtc.Ticks}";
            }
        }
    }

    private sealed class BytesContent(ReadOnlyMemory<byte> bytes) : LayerContent
    {
        public override long Length => bytes.Length;

        public override Stream OpenRead() => new MemoryStream(bytes.ToArray(), writable: false);

        internal override string Identity => "bytes:" + Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
    }

    private sealed class StreamContent(Func<Stream> open, long length, string identity) : LayerContent
    {
        public override long Length => length;

        public override Stream OpenRead() => open();

        internal override string Identity => "stream:" + identity;
    }
}
