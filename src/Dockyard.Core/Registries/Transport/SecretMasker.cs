using System.Collections.Concurrent;

namespace Dockyard.Registries.Transport;

/// <summary>Remembers every secret a client has handled (passwords, tokens) and masks them in any text it emits.</summary>
internal sealed class SecretMasker
{
    private const string Mask = "***";
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    /// <summary>Adds secrets to mask (short values under 4 characters are ignored: masking them would garble text).</summary>
    public void Add(IEnumerable<string?> secrets)
    {
        foreach (var s in secrets)
            if (!string.IsNullOrEmpty(s) && s.Length >= 4) _secrets.TryAdd(s, 0);
    }

    /// <summary>Adds one secret.</summary>
    public void Add(string? secret) => Add([secret]);

    /// <summary>The text with every known secret replaced by <c>***</c>.</summary>
    public string Apply(string text)
    {
        foreach (var secret in _secrets.Keys.OrderByDescending(s => s.Length))
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        return text;
    }
}
