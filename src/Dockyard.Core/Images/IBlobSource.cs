namespace Dockyard.Images;

/// <summary>
/// Where the bytes of one blob come from (a file, memory, a registry); opened again for every attempt, always from
/// the first byte. The one blob abstraction of the image model.
/// </summary>
public interface IBlobSource
{
    /// <summary>Opens the blob from its start, as stored (compressed for layers).</summary>
    Task<Stream> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>A blob held in memory (configs, manifests, small layers, tests).</summary>
/// <param name="Bytes">The blob.</param>
public sealed record BytesBlobSource(byte[] Bytes) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(Bytes, writable: false));
}

/// <summary>A blob in a file whose bytes are trusted (a layer this machine built and stored by digest).</summary>
/// <param name="Path">The file.</param>
public sealed record FileBlobSource(string Path) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
}
