namespace Dockyard.Pipelines.Yaml;

/// <summary>GitLab's (ActiveSupport's) deep merge: hashes merge recursively, the overlay wins; lists and scalars replace.</summary>
public static class YamlDeepMerge
{
    /// <summary>Returns a new mapping: <paramref name="baseMapping"/> with <paramref name="overlay"/> merged on top.</summary>
    public static YamlMapping Merge(YamlMapping baseMapping, YamlMapping overlay)
    {
        var result = new YamlMapping(baseMapping);
        foreach (var entry in overlay.Entries)
        {
            if (result[entry.Key] is YamlMapping existing && entry.Value is YamlMapping incoming)
                result.Set(entry.Key, entry.KeyLocation, Merge(existing, incoming));
            else
                result.Set(entry);
        }
        return result;
    }
}
