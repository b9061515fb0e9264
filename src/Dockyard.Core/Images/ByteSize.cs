using System.Globalization;

namespace Dockyard.Images;

/// <summary>Byte counts as people read them: B, KiB, MiB, GiB.</summary>
public static class ByteSize
{
    /// <summary><paramref name="bytes"/> in the largest unit below it (<c>19.8 MiB</c>).</summary>
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024:0.#} MiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024 / 1024:0.##} GiB"),
    };
}
