using System.Runtime.InteropServices;

namespace Dockyard.FileSystem;

/// <summary>What a path names, without following a final symbolic link (<c>lstat</c>'s file type).</summary>
internal enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,
    /// <summary>A regular file.</summary>
    Regular,
    /// <summary>A directory.</summary>
    Directory,
    /// <summary>A symbolic link (whatever it points to).</summary>
    SymbolicLink,
    /// <summary>A named pipe.</summary>
    Fifo,
    /// <summary>A character device (<c>/dev/null</c>, a terminal).</summary>
    CharacterDevice,
    /// <summary>A block device (a disk).</summary>
    BlockDevice,
    /// <summary>A Unix socket.</summary>
    Socket,
}

/// <summary>
/// Tells the <see cref="FileKind"/> of a path. .NET reports FIFOs and devices as plain existing files, so on Linux
/// the type comes from <c>statx</c> (its layout is the same on every architecture); elsewhere from the file attributes.
/// </summary>
internal static class FileKindProbe
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;

    /// <summary>The kind of <paramref name="path"/> (a final symbolic link is reported as such, not followed).</summary>
    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux() && TryStatx(path, out var kind)) return kind;
        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return FileKind.SymbolicLink;
        if (System.IO.Directory.Exists(path)) return FileKind.Directory;
        return info.Exists ? FileKind.Regular : FileKind.Missing;
    }

    private static bool TryStatx(string path, out FileKind kind)
    {
        kind = FileKind.Missing;
        var buffer = new byte[256];
        try
        {
            if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, StatxType, buffer) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // ENOENT, ENOTDIR: nothing there; anything else (ENOSYS, EPERM under a sandbox): ask .NET instead.
                return errno is 2 or 20;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
        kind = (BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            _ => FileKind.Socket,
        };
        return true;
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole library.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Statx(int directoryFd, string path, int flags, uint mask, byte[] buffer);
}
