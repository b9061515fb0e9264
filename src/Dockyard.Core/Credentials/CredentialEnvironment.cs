namespace Dockyard.Credentials;

/// <summary>
/// What the credential chain may see of the process: its environment variables, the home directory and whether it
/// runs as root. Tests pass their own so that lookups are hermetic; fronts use <see cref="FromProcess"/>.
/// </summary>
public sealed class CredentialEnvironment
{
    /// <summary>Creates an environment from explicit values.</summary>
    /// <param name="variables">The environment variables (names are case-sensitive).</param>
    /// <param name="homeDirectory">The user's home directory, or <c>null</c> when there is none.</param>
    /// <param name="isRoot">Whether the process runs as root (then <see cref="RootHomeDirectory"/> is consulted too).</param>
    public CredentialEnvironment(IReadOnlyDictionary<string, string> variables, string? homeDirectory, bool isRoot = false)
    {
        Variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        HomeDirectory = string.IsNullOrEmpty(homeDirectory) ? null : homeDirectory;
        IsRoot = isRoot;
    }

    /// <summary>The environment variables.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The user's home directory (<c>~</c>), or <c>null</c>.</summary>
    public string? HomeDirectory { get; }

    /// <summary>Whether the process runs as root.</summary>
    public bool IsRoot { get; }

    /// <summary>Root's home directory, consulted when <see cref="IsRoot"/> and it differs from <see cref="HomeDirectory"/>.</summary>
    public string RootHomeDirectory { get; init; } = "/root";

    /// <summary>The value of a variable, or <c>null</c> when it is unset or empty.</summary>
    public string? Get(string name) =>
        Variables.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    /// <summary>A copy with one variable set (or removed when <paramref name="value"/> is <c>null</c>).</summary>
    public CredentialEnvironment With(string name, string? value)
    {
        var variables = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        if (value is null)
        {
            variables.Remove(name);
        }
        else
        {
            variables[name] = value;
        }

        return new CredentialEnvironment(variables, HomeDirectory, IsRoot) { RootHomeDirectory = RootHomeDirectory };
    }

    /// <summary>The current process's environment, <c>$HOME</c> (or the user profile) and privilege.</summary>
    public static CredentialEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        var home = variables.TryGetValue("HOME", out var h) && h.Length > 0
            ? h
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new CredentialEnvironment(variables, home, Environment.IsPrivilegedProcess);
    }
}
