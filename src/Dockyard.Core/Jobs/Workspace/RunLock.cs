using Microsoft.Extensions.Logging;

namespace Dockyard.Jobs.Workspace;

/// <summary>
/// The exclusive hold of one run on a project's <c>.dockyard</c> directory (an advisory lock on
/// <c>.dockyard/run.lock</c>, released when the holder ends, even by a crash): a second <c>dockyard ci run</c> in the
/// same checkout waits rather than deleting the job directories the first one is using.
/// </summary>
internal sealed class RunLock : IDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private readonly FileStream file;

    private RunLock(FileStream file) => this.file = file;

    /// <summary>Takes the lock of <paramref name="layout"/>, waiting (and saying so once) while another run holds it.</summary>
    public static async Task<RunLock> AcquireAsync(DockyardLayout layout, ILogger logger, CancellationToken cancellation)
    {
        Directory.CreateDirectory(layout.Root);
        var path = Path.Combine(layout.Root, "run.lock");
        var told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock(2) on Unix: held by the open handle, gone with the process.
                return new RunLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                if (!told)
                {
                    logger.LogWarning("Another dockyard run is using {Directory}; waiting for it to end (Ctrl+C to stop).", layout.Root);
                    told = true;
                }

                await Task.Delay(Poll, cancellation).ConfigureAwait(false);
            }
            catch (UnauthorizedAccessException error)
            {
                throw new Diagnostics.DockyardException($"{path}: cannot open the run lock ({error.Message}). Make {layout.Root} writable for this user.", error);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => file.Dispose();
}
