using Dockyard.Diagnostics;
using Dockyard.FileSystem;
using Dockyard.Registries.Transfer;

namespace Dockyard.Images.Layout;

/// <summary>Writes blobs into a directory by digest, verified against their descriptors, atomically (temp + rename).</summary>
internal static class BlobWriter
{
    /// <summary>
    /// Writes the blob to <paramref name="path"/> unless a regular file of the right size is there; the bytes are
    /// checked against the descriptor on the way. Returns false when the blob was already present.
    /// </summary>
    /// <exception cref="DockyardException">The source's bytes do not match, or the path is not a regular file.</exception>
    public static async Task<bool> WriteAsync(string path, Descriptor descriptor, IBlobSource source, string where, CancellationToken cancellationToken)
    {
        descriptor.Validate(where);
        RefuseNonRegular(path, where);
        var existing = new FileInfo(path);
        if (existing.Exists && existing.Length == descriptor.Size) return false;
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                var opened = await source.OpenAsync(cancellationToken);
                await using var verifying = opened as DigestVerifyingStream is { } already && already.ExpectedDigest == descriptor.Digest
                    ? already
                    : new DigestVerifyingStream(opened, descriptor, where, Timeout.InfiniteTimeSpan, damaged: "its source is damaged; read the image again");
                await verifying.CopyToAsync(target, 1 << 16, cancellationToken);
            }
            File.Move(temp, path, overwrite: true);
            return true;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes a file atomically (temp + rename), refusing to replace anything but a regular file.</summary>
    /// <exception cref="DockyardException">The path is a directory, a link or another non-regular file, or cannot be written.</exception>
    public static void WriteFileAtomically(string path, Action<string> writeTemp, string where)
    {
        var full = Path.GetFullPath(path);
        RefuseNonRegular(full, where);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            writeTemp(temp);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{where}: cannot write '{path}': {e.Message} Choose a writable destination.", e);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Throws when <paramref name="path"/> exists and is not a regular file (a directory, a symbolic link, a FIFO, a device).</summary>
    public static void RefuseNonRegular(string path, string where)
    {
        var what = FileKindProbe.Of(path) switch
        {
            FileKind.Missing or FileKind.Regular => null,
            FileKind.SymbolicLink => "is a symbolic link; refusing to replace it. Remove it or choose another destination.",
            FileKind.Directory => "is a directory; refusing to replace it with a file. Choose a file name.",
            _ => "is not a regular file (a FIFO, device or socket); refusing to replace it. Remove it or choose another destination.",
        };
        if (what is not null) throw new DockyardException($"{where}: '{path}' {what}");
    }
}
