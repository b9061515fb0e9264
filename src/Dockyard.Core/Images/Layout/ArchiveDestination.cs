using Dockyard.Diagnostics;
using Dockyard.FileSystem;

namespace Dockyard.Images.Layout;

/// <summary>
/// Where a single-file output (<c>oci-archive</c>, <c>docker-archive</c>) goes, decided before anything is written:
/// a regular file (or a new one) is replaced atomically (temp file beside it, then rename: nothing half-written on
/// failure); a FIFO or character device (<c>/dev/null</c>) is opened and streamed into, never replaced; <c>-</c> is
/// the front's standard output, as docker does; a symbolic link, directory, block device or socket is refused.
/// </summary>
internal sealed class ArchiveDestination
{
    /// <summary>The destination that means standard output.</summary>
    public const string StandardOutputName = "-";

    private readonly Func<Stream>? _standardOutput;

    private ArchiveDestination(string path, FileKind kind, Func<Stream>? standardOutput)
    {
        Path = path;
        Kind = kind;
        _standardOutput = standardOutput;
    }

    /// <summary>The full path, or <c>-</c> for standard output.</summary>
    public string Path { get; }

    /// <summary>What is there now (<see cref="FileKind.Missing"/> or <see cref="FileKind.Regular"/> for a file to replace).</summary>
    public FileKind Kind { get; }

    /// <summary>Whether the archive is streamed (FIFO, character device, standard output) rather than written to a file.</summary>
    public bool IsStream => Kind is not (FileKind.Missing or FileKind.Regular);

    /// <summary>
    /// Checks <paramref name="path"/> and says how it will be written.
    /// </summary>
    /// <param name="path">The destination (relative paths against the current directory; callers pass full paths).</param>
    /// <param name="where">The sink's name, for messages.</param>
    /// <param name="standardOutput">Opens the front's standard output; <c>null</c> when the front has none.</param>
    /// <exception cref="DockyardException">The destination is a link, directory, block device or socket, or <c>-</c> without a standard output.</exception>
    public static ArchiveDestination Resolve(string path, string where, Func<Stream>? standardOutput)
    {
        if (path == StandardOutputName)
            return standardOutput is null
                ? throw new DockyardException($"{where}: '-' means standard output, and this front has none to write an archive to; give a file name.") { Setting = Setting.Output }
                : new ArchiveDestination(path, FileKind.CharacterDevice, standardOutput);
        var full = System.IO.Path.GetFullPath(path);
        var kind = FileKindProbe.Of(full);
        return kind switch
        {
            FileKind.Missing or FileKind.Regular or FileKind.Fifo or FileKind.CharacterDevice => new ArchiveDestination(full, kind, null),
            FileKind.SymbolicLink => throw Refused(where, full, "is a symbolic link; refusing to write through or replace it. Name the file itself or choose another destination."),
            FileKind.Directory => throw Refused(where, full, "is a directory; refusing to replace it with a file. Choose a file name."),
            FileKind.BlockDevice => throw Refused(where, full, "is a block device; refusing to write an image over it. Choose a file, a FIFO or '-'."),
            _ => throw Refused(where, full, "is a socket; refusing to replace it. Choose a file, a FIFO or '-'."),
        };
    }

    /// <summary>
    /// A private scratch directory for assembling the archive: beside a file destination (same file system, so the
    /// rename is atomic), under the system temp directory for a stream (never inside <c>/dev</c>).
    /// </summary>
    public DirectoryInfo CreateStaging(string prefix)
    {
        if (IsStream) return Directory.CreateTempSubdirectory("dockyard-" + prefix);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        return Directory.CreateDirectory(System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(Path) + "." + prefix + Guid.NewGuid().ToString("N")));
    }

    /// <summary>Writes the archive with <paramref name="write"/>; returns the bytes written.</summary>
    /// <exception cref="DockyardException">The destination cannot be written (full device, closed pipe, no permission).</exception>
    public long Write(Action<Stream> write, string where)
    {
        if (!IsStream)
        {
            long length = 0;
            BlobWriter.WriteFileAtomically(Path, temp =>
            {
                using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
                write(stream);
                length = stream.Length;
            }, where);
            return length;
        }
        try
        {
            var stream = _standardOutput?.Invoke() ?? new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            var counting = new CountingWriteStream(stream);
            try
            {
                write(counting);
                counting.Flush();
            }
            finally
            {
                // Standard output stays open for the front's own lines; a FIFO or device is closed.
                if (_standardOutput is null) stream.Dispose();
            }
            return counting.BytesWritten;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{where}: cannot write to '{Name}': {e.Message} Choose a writable destination.", e) { Setting = Setting.Output };
        }
    }

    /// <summary>The destination in words.</summary>
    public string Name => _standardOutput is null ? Path : "standard output";

    private static DockyardException Refused(string where, string path, string what) =>
        new($"{where}: '{path}' {what}") { Setting = Setting.Output };

    /// <summary>Counts what passes through to a stream that cannot tell its length (a pipe, a device).</summary>
    private sealed class CountingWriteStream(Stream inner) : Stream
    {
        public long BytesWritten { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => BytesWritten; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            BytesWritten += buffer.Length;
        }
    }
}
