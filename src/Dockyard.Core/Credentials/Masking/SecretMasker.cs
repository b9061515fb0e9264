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

    /// <summary>The shortest line of a multi-line secret that is masked on its own.</summary>
    public const int MinLineLength = 4;

    /// <summary>
    /// Registers a secret; null or empty values are ignored. A secret of several lines (a key file) also registers each
    /// of its lines of <see cref="MinLineLength"/> characters or more, since tool output is masked line by line.
    /// </summary>
    public void Add(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        string[] lines = secret.AsSpan().IndexOfAny('\r', '\n') < 0
            ? []
            : secret.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(l => l.Trim().Length >= MinLineLength).ToArray();
        lock (_gate)
        {
            var added = _secrets.Add(secret);
            foreach (var line in lines)
            {
                added |= _secrets.Add(line);
            }

            if (added)
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
