namespace Dockyard.Jobs.Shell;

/// <summary>
/// Replaces the values of masked variables with <c>[MASKED]</c> in job output, as GitLab does. Output reaches it in
/// whole lines, so a value written in several pieces is still found; the longest value is replaced first.
/// </summary>
public sealed class OutputMasker
{
    /// <summary>What a masked value is replaced with.</summary>
    public const string Replacement = "[MASKED]";

    private readonly string[] _values;

    /// <summary>Creates a masker for <paramref name="values"/> (empty values are ignored).</summary>
    public OutputMasker(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The line with every masked value replaced.</summary>
    public string Mask(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        foreach (var value in _values)
            if (line.Contains(value, StringComparison.Ordinal)) line = line.Replace(value, Replacement, StringComparison.Ordinal);
        return line;
    }
}
