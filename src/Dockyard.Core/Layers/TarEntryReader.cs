using System.Formats.Tar;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>
/// Reads the entries of a tar stream (a layer or an ADD archive) as docker, containerd and skopeo do: an archive that
/// stops right after an entry without the end-of-archive marker (umoci and other writers produce these) simply ends
/// there; an archive cut inside an entry, or one that is not a tar, is a <see cref="DockyardException"/> naming it.
/// </summary>
internal sealed class TarEntryReader
{
    private const int Block = 512;

    private readonly CountingStream _stream;
    private readonly TarReader _reader;
    private readonly string _where;
    private long _entryEnd;
    private string? _last;

    /// <summary>Reads <paramref name="tar"/>; <paramref name="where"/> names it in errors (e.g. "layer sha256:…").</summary>
    public TarEntryReader(Stream tar, string where)
    {
        _stream = new CountingStream(tar);
        _reader = new TarReader(_stream);
        _where = where;
    }

    /// <summary>The next entry (its data not read yet), or null at the end of the archive.</summary>
    /// <exception cref="DockyardException">The archive is cut inside an entry or is not a tar archive.</exception>
    public TarEntry? Next()
    {
        TarEntry? entry;
        try
        {
            entry = _reader.GetNextEntry(copyData: false);
        }
        catch (EndOfStreamException) when (_stream.Ended && EndsWithoutMarker())
        {
            return null;
        }
        catch (Exception e) when (IsMalformed(e))
        {
            throw Damaged(e);
        }
        catch (Exception e) when (TarReadFailure.IsUnsupportedEntry(e))
        {
            throw new DockyardException(TarReadFailure.Unsupported(_where, _last is null ? "as its first entry" : $"after the entry '{_last}'", e), e);
        }
        if (entry is null) return null;
        _entryEnd = _stream.Position + (entry.Length + Block - 1) / Block * Block;
        _last = entry.Name;
        return entry;
    }

    /// <summary>Copies the data of <paramref name="entry"/> (the entry <see cref="Next"/> returned last) to <paramref name="output"/>.</summary>
    /// <exception cref="DockyardException">The archive ends inside the entry's data.</exception>
    public void CopyData(TarEntry entry, Stream output)
    {
        if (entry.DataStream is null) return;
        try
        {
            entry.DataStream.CopyTo(output);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
        {
            throw Damaged(e);
        }
        if (output.CanSeek && output.Length != entry.Length) throw Damaged(null);
    }

    // The reader failed for want of bytes where the next header would start: the previous entry is complete and the
    // marker (or its second block) is missing. Anything else is a cut inside an entry.
    private bool EndsWithoutMarker() =>
        _stream.Position == _entryEnd || (_stream.Position == _entryEnd + Block && _stream.LastBlockWasZero);

    private static bool IsMalformed(Exception e) => e is EndOfStreamException or InvalidDataException || TarReadFailure.IsMalformedHeader(e);

    private DockyardException Damaged(Exception? cause)
    {
        var inside = _last is null ? "before its first entry" : $"inside or right after the entry '{_last}'";
        var detail = cause is null or EndOfStreamException ? "" : $" ({TarReadFailure.Describe(cause)})";
        return new DockyardException($"{_where} is damaged: the tar data ends {inside}{detail}. " +
            "Download or write the layer again; if it comes from a registry, delete it from the layer cache so it is fetched anew.");
    }

    /// <summary>A read-only pass-through that counts the bytes read, notes the end, and whether the last 512-byte block was all zeros.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private bool _blockZero = true;

        public long Consumed { get; private set; }

        public bool Ended { get; private set; }

        public bool LastBlockWasZero { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Consumed; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = inner.Read(buffer);
            if (count == 0 && buffer.Length > 0) Ended = true;
            for (var i = 0; i < count; i++)
            {
                if (buffer[i] != 0) _blockZero = false;
                if ((Consumed + i + 1) % Block != 0) continue;
                LastBlockWasZero = _blockZero;
                _blockZero = true;
            }
            Consumed += count;
            return count;
        }
    }
}
