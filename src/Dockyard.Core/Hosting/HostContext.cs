using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dockyard.Hosting;

/// <summary>
/// What a use case may see of the front that calls it: a snapshot of the environment, the working directory, the
/// user's home, a logger, progress events and the one secret masker of the session. The core reads nothing of the
/// process itself (no <see cref="System.Environment"/> calls); fronts build this once, with <see cref="FromProcess"/>
/// or by hand (MSBuild's and Cake's environments, tests).
/// </summary>
public sealed class HostContext
{
    private readonly Dictionary<string, string> _variables;

    /// <summary>Creates a context over an explicit environment.</summary>
    /// <param name="variables">The environment variables (names case-sensitive).</param>
    /// <param name="workingDirectory">The directory relative paths are resolved against.</param>
    public HostContext(IReadOnlyDictionary<string, string> variables, string workingDirectory)
    {
        _variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        WorkingDirectory = Path.GetFullPath(workingDirectory);
    }

    /// <summary>The environment variables as the front saw them.</summary>
    public IReadOnlyDictionary<string, string> Variables => _variables;

    /// <summary>The directory relative paths are resolved against (absolute).</summary>
    public string WorkingDirectory { get; }

    /// <summary>The user's home directory, or <c>null</c> when there is none (default: <c>$HOME</c>).</summary>
    public string? HomeDirectory { get; init; }

    /// <summary>Whether the process runs as root (root's own docker config is then consulted too).</summary>
    public bool IsRoot { get; init; }

    /// <summary>Where diagnostics and tool output go; messages are already masked.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Receives progress events (layers, uploads, steps); <c>null</c> when the front shows none.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }

    /// <summary>
    /// Opens the front's standard output for binary results (<c>--output type=oci-archive,dest=-</c>); <c>null</c>
    /// when the front has none (the default), and <c>-</c> is then refused. The stream is flushed, not closed.
    /// </summary>
    public Func<Stream>? StandardOutput { get; init; }

    /// <summary>Opens the front's standard input for binary input (<c>docker load</c> without <c>-i</c>); <c>null</c> when the front has none.</summary>
    public Func<Stream>? StandardInput { get; init; }

    /// <summary>The one masker of the session: every secret any part of the core learns is added here.</summary>
    public SecretMasker Masker { get; init; } = new();

    /// <summary>The credentials the front was given for this session (in memory only), asked before the rest of every credential chain.</summary>
    public SessionCredentials Credentials { get; init; } = new();

    /// <summary>The value of a variable, or <c>null</c> when it is unset or empty.</summary>
    public string? Get(string name) => _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>A path resolved against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    /// <summary>
    /// Dockyard's own cache directory: <c>$DOCKYARD_CACHE</c>, else <c>$XDG_CACHE_HOME/dockyard</c>, else
    /// <c>~/.cache/dockyard</c>, else a directory under the system's temp path.
    /// </summary>
    public string CacheDirectory =>
        Get("DOCKYARD_CACHE") is { } explicitCache ? FullPath(explicitCache)
        : Get("XDG_CACHE_HOME") is { } xdg ? Path.Combine(FullPath(xdg), "dockyard")
        : HomeDirectory is { } home ? Path.Combine(home, ".cache", "dockyard")
        : Path.Combine(Path.GetTempPath(), "dockyard-cache");

    /// <summary>What the credential chain may see of this host.</summary>
    public CredentialEnvironment CredentialEnvironment => new(_variables, HomeDirectory, IsRoot);

    /// <summary>A copy with other variables (a job's environment, a test's).</summary>
    public HostContext WithVariables(IReadOnlyDictionary<string, string> variables) =>
        new(variables, WorkingDirectory) { HomeDirectory = HomeDirectory, IsRoot = IsRoot, Logger = Logger, Progress = Progress, Masker = Masker, Credentials = Credentials, StandardOutput = StandardOutput, StandardInput = StandardInput };

    /// <summary>A copy with another working directory.</summary>
    public HostContext WithWorkingDirectory(string directory) =>
        new(_variables, FullPath(directory)) { HomeDirectory = HomeDirectory, IsRoot = IsRoot, Logger = Logger, Progress = Progress, Masker = Masker, Credentials = Credentials, StandardOutput = StandardOutput, StandardInput = StandardInput };

    /// <summary>A copy with another logger and progress sink.</summary>
    public HostContext WithOutput(ILogger logger, IProgress<ProgressEvent>? progress) =>
        new(_variables, WorkingDirectory) { HomeDirectory = HomeDirectory, IsRoot = IsRoot, Logger = logger, Progress = progress, Masker = Masker, Credentials = Credentials, StandardOutput = StandardOutput, StandardInput = StandardInput };

    /// <summary>A copy whose session credentials are <paramref name="credentials"/> (a front's logins).</summary>
    public HostContext WithCredentials(SessionCredentials credentials) =>
        new(_variables, WorkingDirectory) { HomeDirectory = HomeDirectory, IsRoot = IsRoot, Logger = Logger, Progress = Progress, Masker = Masker, Credentials = credentials, StandardOutput = StandardOutput, StandardInput = StandardInput };

    /// <summary>The current process's environment, working directory, home, privilege and standard output.</summary>
    public static HostContext FromProcess(ILogger? logger = null, IProgress<ProgressEvent>? progress = null, SecretMasker? masker = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string ?? "";
        var home = variables.TryGetValue("HOME", out var h) && h.Length > 0 ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new HostContext(variables, Environment.CurrentDirectory)
        {
            HomeDirectory = string.IsNullOrEmpty(home) ? null : home,
            IsRoot = Environment.IsPrivilegedProcess,
            Logger = logger ?? NullLogger.Instance,
            Progress = progress,
            Masker = masker ?? new SecretMasker(),
            StandardOutput = Console.OpenStandardOutput,
            StandardInput = Console.OpenStandardInput,
        };
    }
}
