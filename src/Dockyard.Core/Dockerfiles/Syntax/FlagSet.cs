using Dockyard.Diagnostics;

namespace Dockyard.Dockerfiles.Syntax;

/// <summary>The flags one instruction accepts, checked and looked up by name.</summary>
internal sealed class FlagSet
{
    private readonly Dictionary<string, List<Flag>> _given = new(StringComparer.Ordinal);
    private readonly LogicalLine _line;
    private readonly string _keyword;

    public FlagSet(LogicalLine line, string keyword, IReadOnlyList<Flag> flags, string[] strings, string[] bools, string[] lists)
    {
        _line = line;
        _keyword = keyword;
        var known = strings.Concat(bools).Concat(lists).ToArray();
        foreach (var flag in flags)
        {
            if (!known.Contains(flag.Name))
            {
                var hint = known.Length == 0 ? $"{keyword} takes no flags." : $"{keyword} accepts: {string.Join(", ", known.Select(k => "--" + k))}.";
                var suggestion = Suggestions.Closest(flag.Name, known);
                throw new SourceException(line.At(flag.Offset), $"unknown flag '--{flag.Name}' for {keyword}.",
                    suggestion is null ? hint : $"Did you mean '--{suggestion}'? {hint}");
            }
            if (strings.Contains(flag.Name) && flag.Value is null)
                throw new SourceException(line.At(flag.Offset), $"flag '--{flag.Name}' of {keyword} needs a value.", $"Write --{flag.Name}=VALUE.");
            if (bools.Contains(flag.Name) && flag.Value is not (null or "true" or "false"))
                throw new SourceException(line.At(flag.Offset), $"flag '--{flag.Name}' of {keyword} is a switch; '{flag.Value}' is not true or false.",
                    $"Write --{flag.Name} or --{flag.Name}=false.");
            if (!_given.TryGetValue(flag.Name, out var list)) _given[flag.Name] = list = [];
            if (!lists.Contains(flag.Name) && list.Count > 0)
                throw new SourceException(line.At(flag.Offset), $"flag '--{flag.Name}' is given twice.", "Keep only one.");
            list.Add(flag);
        }
    }

    public string? String(string name) => _given.TryGetValue(name, out var list) ? list[0].Value : null;

    public bool Bool(string name) => _given.TryGetValue(name, out var list) && list[0].Value != "false";

    public bool? OptionalBool(string name) => _given.ContainsKey(name) ? Bool(name) : null;

    public IReadOnlyList<Flag> List(string name) => _given.TryGetValue(name, out var list) ? list : [];

    public SourceException Error(string name, string problem, string whatToDo) =>
        new(_line.At(_given[name][0].Offset), $"{_keyword} --{name}: {problem}", whatToDo);
}
