using Dockyard.Diagnostics;

namespace Dockyard.Images.Stores;

/// <summary>
/// The store's lock file, held exclusively (<see cref="FileShare.None"/>, an advisory <c>flock</c> on Unix) while
/// <c>index.json</c> changes or blobs are collected. The operating system releases it when the holder dies, so a
/// crashed process never leaves the store locked. Acquiring retries until a bounded wait runs out.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly FileStream _file;

    private StoreLock(FileStream file) => _file = file;

    /// <summary>Takes the lock at <paramref name="path"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="DockyardException">Another process held the lock for the whole wait.</exception>
    public static StoreLock Acquire(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var delay = 5;
        while (true)
        {
            try
            {
                return new StoreLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                if (DateTime.UtcNow >= deadline)
                    throw new DockyardException($"The local image store lock '{path}' stayed held by another process for {timeout.TotalSeconds:0} s; wait for the other dockyard command to finish, then try again.", e);
                Thread.Sleep(Random.Shared.Next(delay, delay * 2));
                delay = Math.Min(delay * 2, 100);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new DockyardException($"Cannot open the local image store lock '{path}': {e.Message} Make the store writable or choose another one with --store.", e);
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();
}
