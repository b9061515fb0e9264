using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// Replaces every <c>!reference [key, sub, ...]</c> with a copy of the value at that path of the (extended) configuration.
/// A referenced value may contain references itself, up to <see cref="MaxDepth"/> levels. Inside a list the value is
/// inserted as one item (a nested list), flattened later where GitLab flattens.
/// </summary>
internal sealed class ReferenceResolver(Func<string, YamlNode?> topLevel)
{
    /// <summary>GitLab's nesting limit for <c>!reference</c>.</summary>
    public const int MaxDepth = 10;

    /// <summary>
    /// The most references followed in one configuration (nested ones count each time): bounds the fan-out of
    /// references whose values hold references, which otherwise grows exponentially with the depth.
    /// </summary>
    public const int MaxFollowed = 100_000;

    private int _followed;

    /// <summary>Returns <paramref name="node"/> with all references resolved (the same instance when it has none).</summary>
    public YamlNode Resolve(YamlNode node) => Resolve(node, []);

    private YamlNode Resolve(YamlNode node, List<YamlReference> chain)
    {
        switch (node)
        {
            case YamlReference reference:
                return Follow(reference, chain);
            case YamlSequence list:
            {
                List<YamlNode>? items = null;
                for (int i = 0; i < list.Items.Count; i++)
                {
                    var resolved = Resolve(list.Items[i], chain);
                    if (!ReferenceEquals(resolved, list.Items[i]) && items is null) items = list.Items.Take(i).ToList();
                    items?.Add(resolved);
                }
                return items is null ? list : new YamlSequence(items, list.Location);
            }
            case YamlMapping map:
            {
                YamlMapping? copy = null;
                foreach (var e in map.Entries)
                {
                    var resolved = Resolve(e.Value, chain);
                    if (ReferenceEquals(resolved, e.Value)) continue;
                    copy ??= new YamlMapping(map);
                    copy.Set(e.Key, e.KeyLocation, resolved);
                }
                return copy ?? map;
            }
            default:
                return node;
        }
    }

    private YamlNode Follow(YamlReference reference, List<YamlReference> chain)
    {
        var text = reference.ToString();
        if (chain.Any(r => r.ToString() == text))
            throw new SourceException(reference.Location, $"circular {text}: {string.Join(" → ", chain.Select(r => r.ToString()).Append(text))}.",
                "Make the referenced values stop referring back.");
        if (++_followed > MaxFollowed)
            throw new SourceException(reference.Location, $"more than {MaxFollowed:N0} !reference values to expand (nested references count each time they are used).",
                "Reference a value fewer times, or reference the final value instead of values that reference others.");
        if (chain.Count >= MaxDepth)
            throw new SourceException(reference.Location, $"{text} is nested more than {MaxDepth} levels deep.",
                "GitLab allows 10 levels of nested !reference; reference the final value directly.");
        YamlNode? current = topLevel(reference.Path[0]);
        for (int i = 1; i < reference.Path.Count && current is not null; i++)
        {
            current = current switch
            {
                YamlMapping m => m[reference.Path[i]],
                YamlSequence list => int.TryParse(reference.Path[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
                    && index < list.Items.Count ? list.Items[index] : null,
                YamlReference r => Follow(r, [.. chain, reference]) is YamlMapping rm ? rm[reference.Path[i]] : null,
                _ => null,
            };
        }
        if (current is null)
            throw new SourceException(reference.Location, $"{text} could not be found.",
                $"Check that '{string.Join(".", reference.Path)}' exists (in this file or an included one).");
        return Resolve(current, [.. chain, reference]);
    }
}
