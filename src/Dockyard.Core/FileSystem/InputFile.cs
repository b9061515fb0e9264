using System.Text;

namespace Dockyard.FileSystem;

/// <summary>
/// Reads an input file the user named (a pipeline include, a Dockerfile, a <c>.dockerignore</c>) only when it is a
/// regular file once every symbolic link is followed, and never more than a stated number of bytes: a FIFO would
/// hang the read, <c>/dev/zero</c> would grow memory without end, a huge file would do the same.
/// </summary>
internal static class InputFile
{
    /// <summary>
    /// Why <paramref name="path"/> (links followed) cannot be read as an input file, or null when it is a regular
    /// file; the reason reads after the file's name ("is a FIFO (named pipe), not a regular file").
    /// </summary>
    public static string? Refusal(string path)
    {
        string final;
        try
        {
            var info = new FileInfo(path);
            final = info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
        }
        catch (IOException e)
        {
            return $"cannot be resolved ({e.Message.TrimEnd('.')})";
        }
        return FileKindProbe.Of(final) switch
        {
            FileKind.Regular => null,
            FileKind.Missing => "does not exist (or is a dangling symbolic link)",
            FileKind.Directory => "is a directory, not a regular file",
            FileKind.Fifo => "is a FIFO (named pipe), not a regular file",
            FileKind.CharacterDevice => "is a character device, not a regular file",
            FileKind.BlockDevice => "is a block device, not a regular file",
            FileKind.Socket => "is a socket, not a regular file",
            _ => "is a symbolic link loop, not a regular file",
        };
    }

    /// <summary>
    /// Reads <paramref name="path"/> as UTF-8 text when it is a regular file of at most <paramref name="maxBytes"/>;
    /// otherwise calls <paramref name="refuse"/> with the reason (which reads after the file's name) and throws what it returns.
    /// The limit holds even when the file grows while it is read.
    /// </summary>
    public static string ReadText(string path, long maxBytes, Func<string, Exception> refuse)
    {
        if (Refusal(path) is { } reason) throw refuse(reason);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                    throw refuse($"is over the limit of {Size(maxBytes)}");
                buffer.Write(chunk, 0, read);
            }
            return new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length) is var text && text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw refuse($"cannot be read ({e.Message.TrimEnd('.')})");
        }
    }

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB" : $"{bytes / 1024} KiB";
}
