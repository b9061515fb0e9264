namespace Dockyard.Registries.Transfer;

/// <summary>Where the bytes of a blob to push come from; opened again for every attempt.</summary>
public interface IBlobSource
{
    /// <summary>Opens the blob from its start.</summary>
    Task<Stream> OpenAsync(CancellationToken cancellationToken);
}

/// <summary>A blob held in memory (configs, small layers, tests).</summary>
/// <param name="Bytes">The blob.</param>
public sealed record BytesBlobSource(byte[] Bytes) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<Stream>(new MemoryStream(Bytes, writable: false));
}

/// <summary>A blob in a file (a built layer).</summary>
/// <param name="Path">The file.</param>
public sealed record FileBlobSource(string Path) : IBlobSource
{
    /// <inheritdoc />
    public Task<Stream> OpenAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Stream>(new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan));
}
