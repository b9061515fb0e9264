using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Yaml;

/// <summary>One key of a <see cref="YamlMapping"/> with its value.</summary>
/// <param name="Key">The key text.</param>
/// <param name="KeyLocation">Where the key was written.</param>
/// <param name="Value">The value.</param>
public readonly record struct YamlEntry(string Key, SourceLocation KeyLocation, YamlNode Value);

/// <summary>
/// A YAML mapping that keeps key order like a Ruby hash: setting an existing key replaces its value in place,
/// a new key is appended. Duplicate keys in the source are accepted (the last one wins), as Psych does.
/// Build it once, then treat it as read-only; transformations create new mappings.
/// </summary>
public sealed class YamlMapping : YamlNode
{
    private readonly List<YamlEntry> _entries;
    private readonly Dictionary<string, int> _index;

    /// <summary>Creates an empty mapping.</summary>
    public YamlMapping(SourceLocation location) : base(location)
    {
        _entries = [];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
    }

    /// <summary>Creates a copy of <paramref name="other"/> at its location.</summary>
    public YamlMapping(YamlMapping other) : base(other.Location)
    {
        _entries = new List<YamlEntry>(other._entries);
        _index = new Dictionary<string, int>(other._index, StringComparer.Ordinal);
    }

    /// <summary>The entries in order.</summary>
    public IReadOnlyList<YamlEntry> Entries => _entries;

    /// <summary>The number of keys.</summary>
    public int Count => _entries.Count;

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public YamlNode? this[string key] => _index.TryGetValue(key, out var i) ? _entries[i].Value : null;

    /// <summary>True when the key is present (even with a null value).</summary>
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    /// <summary>The entry of <paramref name="key"/>, or null when absent.</summary>
    public YamlEntry? Entry(string key) => _index.TryGetValue(key, out var i) ? _entries[i] : null;

    /// <summary>Sets a key: replaces the value in place when present, else appends.</summary>
    public void Set(string key, SourceLocation keyLocation, YamlNode value)
    {
        if (_index.TryGetValue(key, out var i))
            _entries[i] = new YamlEntry(key, _entries[i].KeyLocation, value);
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(new YamlEntry(key, keyLocation, value));
        }
    }

    /// <summary>Sets a key from an entry.</summary>
    public void Set(YamlEntry entry) => Set(entry.Key, entry.KeyLocation, entry.Value);

    /// <summary>Removes a key if present.</summary>
    public void Remove(string key)
    {
        if (!_index.TryGetValue(key, out var i)) return;
        _entries.RemoveAt(i);
        _index.Clear();
        for (int j = 0; j < _entries.Count; j++) _index[_entries[j].Key] = j;
    }

    /// <inheritdoc />
    public override string KindName => "a hash";
}
