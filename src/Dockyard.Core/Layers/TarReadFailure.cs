namespace Dockyard.Layers;

/// <summary>
/// What System.Formats.Tar throws for archive bytes it cannot read besides the documented <see cref="InvalidDataException"/>
/// and <see cref="EndOfStreamException"/> (found by the tar and docker-archive fuzz targets, tests/Dockyard.Fuzz).
/// </summary>
internal static class TarReadFailure
{
    /// <summary>
    /// A header it rejects: a size or PAX length past <see cref="long.MaxValue"/> (<see cref="OverflowException"/>), a PAX
    /// header longer than its data (<see cref="InvalidOperationException"/>), a bad field value (<see cref="ArgumentException"/>,
    /// <see cref="FormatException"/>).
    /// </summary>
    public static bool IsMalformedHeader(Exception e) =>
        e is FormatException or OverflowException or InvalidOperationException or ArgumentException && e is not ObjectDisposedException;

    /// <summary>A well-formed entry of a kind it cannot read (GNU sparse files).</summary>
    public static bool IsUnsupportedEntry(Exception e) => e is NotSupportedException;

    /// <summary>The words for a malformed header's exception in a message (an overflow's own message names nothing).</summary>
    public static string Describe(Exception e) => e is OverflowException ? "a size in a header is out of range" : e.Message;

    /// <summary>What to say about an entry it cannot read, <paramref name="after"/> naming where it is.</summary>
    public static string Unsupported(string where, string after, Exception e) =>
        $"{where} holds a tar entry Dockyard cannot read, {after} ({e.Message}). Write the archive again without it: GNU tar writes sparse files only with --sparse.";
}
