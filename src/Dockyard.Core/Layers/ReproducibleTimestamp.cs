using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Layers;

/// <summary>
/// The single timestamp a reproducible build stamps on layer entries, history entries and the image config:
/// <c>SOURCE_DATE_EPOCH</c> (whole seconds since 1970-01-01 UTC, see reproducible-builds.org) when set, otherwise
/// <see cref="Default"/> = 1970-01-01T00:00:01Z (Jib's choice: one second past the epoch, because a few tools treat an
/// mtime of 0 as "unset").
/// </summary>
public static class ReproducibleTimestamp
{
    /// <summary>The name of the environment variable fronts read from the host (<see cref="Parse"/> its value).</summary>
    public const string VariableName = "SOURCE_DATE_EPOCH";

    /// <summary>The timestamp used when <c>SOURCE_DATE_EPOCH</c> is not set.</summary>
    public static DateTimeOffset Default { get; } = DateTimeOffset.FromUnixTimeSeconds(1);

    /// <summary>Interprets a <c>SOURCE_DATE_EPOCH</c> value; null or empty means <see cref="Default"/>.</summary>
    /// <exception cref="DockyardException">The value is not a non-negative integer number of seconds.</exception>
    public static DateTimeOffset Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return Default;
        if (!long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
            throw new DockyardException($"{VariableName}='{value}' is not a number of seconds since 1970-01-01 UTC; set it to e.g. $(git log -1 --format=%ct) or unset it.");
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
