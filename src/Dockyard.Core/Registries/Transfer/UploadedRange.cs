using System.Globalization;

namespace Dockyard.Registries.Transfer;

/// <summary>
/// The <c>Range</c> header of an upload session (<c>0-N</c>, or the old Docker form <c>bytes=0-N</c>; inclusive):
/// the bytes the registry holds. The reference registry answers <c>0-0</c> both for an empty and a 1-byte upload.
/// </summary>
/// <param name="End">The last byte held (inclusive).</param>
internal readonly record struct UploadedRange(long End)
{
    /// <summary>Parses <paramref name="header"/>; <c>null</c> when it is not <c>0-N</c> or <c>bytes=0-N</c>.</summary>
    public static UploadedRange? Parse(string? header)
    {
        var text = header?.Trim();
        if (string.IsNullOrEmpty(text)) return null;
        if (text.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) text = text["bytes=".Length..].Trim();
        var dash = text.IndexOf('-');
        if (dash <= 0
            || !long.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || start != 0 || end < start)
            return null;
        return new UploadedRange(end);
    }

    /// <summary>
    /// The offset to continue at. <c>0-0</c> is ambiguous (nothing or one byte): it counts as one byte only when
    /// <paramref name="atLeastOneByte"/> (the registry already confirmed bytes, or refused a chunk starting at 0).
    /// </summary>
    public long NextOffset(bool atLeastOneByte) => End == 0 && !atLeastOneByte ? 0 : End + 1;
}
