using System.Text;

namespace Dockyard.Credentials.Masking;

/// <summary>
/// Replaces every known secret in a string with <see cref="Mask"/> text, for fronts and logs.
/// Thread-safe; secrets are only ever added.
/// </summary>
public sealed class SecretMasker
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Replacement = "****";

    private readonly object _gate = new();
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private string[] _ordered = [];

    /// <summary>Registers a secret; null or empty values are ignored.</summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        lock (_gate)
        {
            if (_secrets.Add(secret))
            {
                // Longest first, so a secret that contains another is masked whole.
                _ordered = _secrets.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>
    /// Registers every secret of a credential, and the base64 <c>user:password</c> form docker stores in
    /// <c>auth</c> and sends in a Basic header.
    /// </summary>
    public void Add(RegistryCredential credential)
    {
        foreach (var secret in credential.Secrets)
        {
            Add(secret);
        }

        if (!string.IsNullOrEmpty(credential.Password))
        {
            Add(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));
        }
    }

    /// <summary>The number of distinct secrets registered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _secrets.Count;
            }
        }
    }

    /// <summary>Returns <paramref name="text"/> with every registered secret replaced by <see cref="Replacement"/>.</summary>
    public string Mask(string text)
    {
        string[] secrets;
        lock (_gate)
        {
            secrets = _ordered;
        }

        if (secrets.Length == 0 || string.IsNullOrEmpty(text))
        {
            return text;
        }

        var builder = new StringBuilder(text);
        foreach (var secret in secrets)
        {
            builder.Replace(secret, Replacement);
        }

        return builder.ToString();
    }
}
