namespace Dockyard.Builders;

/// <summary>How Dockyard runs a backend's command-line tool.</summary>
public abstract record ToolSettings
{
    /// <summary>The program: a bare name looked up on PATH, or a path.</summary>
    public abstract string Executable { get; init; }

    /// <summary>
    /// The tool's environment as the host sees it (use cases pass the <c>HostContext</c>'s variables), plus overrides such as
    /// <c>DOCKER_HOST</c>; a <c>null</c> value removes a variable. Dockyard looks variables up here only, never in its own process.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>How long a check (<c>docker version</c>, <c>buildah version</c>) may take.</summary>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Receives every output line of the tool, secrets masked (progress on a terminal, CI logs).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Also receives every output line of the tool, secrets masked, at information level.</summary>
    public Microsoft.Extensions.Logging.ILogger? Logger { get; init; }

    /// <summary>A variable as the tool sees it, or <c>null</c>.</summary>
    internal string? Variable(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    /// <summary>The executable's full path, or <c>null</c> when it is not installed.</summary>
    /// <remarks>Searched on the PATH the tool will see: this environment's, else the one it inherits.</remarks>
    internal string? Locate() =>
        Dockyard.Processes.ExecutableLookup.Find(Executable, new Dockyard.Processes.ProcessRequest(Executable, []) { Environment = Environment }.PathVariable);

    /// <summary>Runs <paramref name="executable"/> with these settings' environment plus <paramref name="environment"/>; output lines go to <see cref="Log"/> when <paramref name="log"/>.</summary>
    internal Task<Dockyard.Processes.ProcessResult> RunAsync(string executable, Credentials.Masking.SecretMasker masker, IReadOnlyList<string> arguments, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null, TimeSpan? timeout = null, bool log = true)
    {
        var variables = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) variables[name] = value;
        var request = new Dockyard.Processes.ProcessRequest(executable, arguments)
        {
            Environment = variables, Timeout = timeout, Masker = masker, OnLine = log ? Log : null, Logger = log ? Logger : null,
        }.WithInput(standardInput);
        return Dockyard.Processes.ProcessRunner.RunAsync(request, cancellationToken);
    }
}
