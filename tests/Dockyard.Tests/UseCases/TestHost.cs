using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Microsoft.Extensions.Logging;

namespace Dockyard.Tests.UseCases;

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(LogLevel Level, EventId Id, Diagnostic? Diagnostic, string Text);

/// <summary>An <see cref="ILogger"/> that keeps every entry, as a front's logger would receive it.</summary>
public sealed class CapturingLogger : ILogger
{
    private readonly List<LogEntry> _entries = [];

    /// <summary>The entries so far.</summary>
    public IReadOnlyList<LogEntry> Entries { get { lock (_entries) return _entries.ToList(); } }

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_entries) _entries.Add(new LogEntry(logLevel, eventId, state as Diagnostic, formatter(state, exception)));
    }
}

/// <summary>
/// A <see cref="HostContext"/> as a front builds one, but sealed off from the machine: its own HOME, cache and docker
/// config directory, only PATH inherited, and a capturing logger.
/// </summary>
public sealed class TestHost : IDisposable
{
    private readonly Infrastructure.TempDirectory _root = new("host");

    /// <summary>Creates the host; <paramref name="variables"/> are added to PATH, HOME, DOCKYARD_CACHE and DOCKER_CONFIG.</summary>
    public TestHost(IReadOnlyDictionary<string, string>? variables = null)
    {
        Directory.CreateDirectory(DockerConfig);
        var all = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin",
            ["HOME"] = _root.Combine("home"),
            ["DOCKYARD_CACHE"] = _root.Combine("cache"),
            ["DOCKER_CONFIG"] = DockerConfig,
        };
        foreach (var (name, value) in variables ?? new Dictionary<string, string>()) all[name] = value;
        Context = new HostContext(all, _root.Path) { HomeDirectory = _root.Combine("home"), Logger = Logger };
    }

    /// <summary>The host given to the use case.</summary>
    public HostContext Context { get; }

    /// <summary>What the use case logged.</summary>
    public CapturingLogger Logger { get; } = new();

    /// <summary>The docker configuration directory credentials are read from (<c>DOCKER_CONFIG</c>).</summary>
    public string DockerConfig => _root.Combine("docker-config");

    /// <summary>A path under the host's own directory.</summary>
    public string Combine(params string[] parts) => _root.Combine(parts);

    /// <summary>Writes a docker <c>config.json</c> with a user name and password for <paramref name="registry"/>.</summary>
    public void WriteDockerLogin(string registry, string username, string password)
    {
        var auth = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{username}:{password}"));
        var config = new System.Text.Json.Nodes.JsonObject { ["auths"] = new System.Text.Json.Nodes.JsonObject { [registry] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } } };
        File.WriteAllText(Path.Combine(DockerConfig, "config.json"), config.ToJsonString());
    }

    /// <summary>Every logged line, for secret checks.</summary>
    public IReadOnlyList<string> LoggedText => Logger.Entries.Select(e => e.Text).ToList();

    /// <summary>Deletes the host's directory.</summary>
    public void Dispose() => _root.Dispose();
}
