namespace Dockyard.UseCases.Build;

/// <summary>
/// The <c>key=value,key=value</c> form of docker's build options (<c>--output</c>, <c>--cache-from</c>,
/// <c>--cache-to</c>): fields by key, trimmed, the last of a repeated key winning; a field without <c>=</c> has an empty value.
/// </summary>
internal static class CsvOptionFields
{
    public static Dictionary<string, string> Parse(string text) => text
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(field => field.Split('=', 2))
        .GroupBy(field => field[0].Trim(), StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.Last().ElementAtOrDefault(1)?.Trim() ?? "", StringComparer.Ordinal);
}
