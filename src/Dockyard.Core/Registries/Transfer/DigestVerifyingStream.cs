using System.Security.Cryptography;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// A read-only stream that hashes what passes through, reports progress, limits the idle time of each read, and at
/// the end throws when the bytes do not match the expected digest and size (a corrupted or substituted blob).
/// </summary>
internal sealed class DigestVerifyingStream : Stream
{
    private const long ReportEvery = 1 << 20;
    private readonly Stream _inner;
    private readonly Descriptor _expected;
    private readonly Digest _digest;
    private readonly IncrementalHash _hash;
    private readonly string _where;
    private readonly TimeSpan _idleTimeout;
    private readonly string _damaged;
    private long _read;
    private long _lastReport;
    private bool _verified;

    public DigestVerifyingStream(Stream inner, Descriptor expected, string where, TimeSpan idleTimeout, Action<long>? progress = null,
        string damaged = "the registry or the network corrupted it. Retry, or check the registry's storage")
    {
        _damaged = damaged;
        _inner = inner;
        _expected = expected;
        _digest = expected.Validate(where);
        if (_digest.Algorithm != "sha256" && _digest.Algorithm != "sha512")
            throw new DockyardException($"Blob {expected.Digest} of {where} uses digest algorithm '{_digest.Algorithm}', which Dockyard cannot verify.");
        _hash = IncrementalHash.CreateHash(_digest.Algorithm == "sha512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        _where = where;
        _idleTimeout = idleTimeout;
        Progress = progress;
    }

    /// <summary>Called with the bytes read so far, about every MiB and at the end.</summary>
    public Action<long>? Progress { get; set; }

    /// <summary>The digest the bytes must have.</summary>
    public string ExpectedDigest => _expected.Digest;

    /// <summary>Bytes read so far.</summary>
    public long BytesRead => _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _expected.Size;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        idle.CancelAfter(_idleTimeout);
        int n;
        try { n = await _inner.ReadAsync(buffer, idle.Token); }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no data for blob {_expected.Digest} of {_where} within {_idleTimeout.TotalSeconds:0} s");
        }
        return Account(buffer.Span[..n]);
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _read += data.Length;
            if (_read > _expected.Size)
                throw new DockyardException($"Blob {_expected.Digest} of {_where} is longer than the {_expected.Size} bytes its descriptor states; refusing it.");
            if (Progress is not null && _read - _lastReport >= ReportEvery) { _lastReport = _read; Progress(_read); }
        }
        else if (!_verified)
        {
            _verified = true;
            var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
            if (_read != _expected.Size || actual != _digest.Hex)
                throw new DockyardException($"Blob {_expected.Digest} of {_where} does not match its descriptor (got {_read} bytes with digest {_digest.Algorithm}:{actual}, expected {_expected.Size} bytes); {_damaged}.");
            Progress?.Invoke(_read);
        }
        return data.Length;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) { _inner.Dispose(); _hash.Dispose(); }
        base.Dispose(disposing);
    }
}
