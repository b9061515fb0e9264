using System.Collections.Concurrent;
using Dockyard.Credentials.CredentialHelpers;
using Dockyard.Credentials.DockerConfig;
using Dockyard.Credentials.Explanation;
using Dockyard.Credentials.Sources;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials;

/// <summary>
/// The credential chain: explicit credentials, the SDK's variables, GitLab Runner's order (<c>DOCKER_AUTH_CONFIG</c>,
/// docker config files, the job's credentials for <c>$CI_REGISTRY</c> and the dependency proxy), then podman's
/// <c>auth.json</c>. The first source with a credential for the registry wins; a broken source stops the chain
/// with a <see cref="DockyardException"/>. Each question names the registry and the direction (push or pull; only the
/// SDK variables answer them differently); successful answers are cached per (registry, direction) for the chain's lifetime.
/// </summary>
public sealed class CredentialChain : ICredentialProvider
{
    private readonly CredentialChainOptions _options;
    private readonly IReadOnlyList<ICredentialSource> _sources;
    private readonly ConcurrentDictionary<(string Registry, RegistryAccess Access), RegistryCredential?> _answers = new();

    /// <summary>Creates a chain over <paramref name="environment"/> (use <see cref="CredentialEnvironment.FromProcess"/> in fronts).</summary>
    public CredentialChain(CredentialChainOptions options, CredentialEnvironment environment)
    {
        _options = options;
        foreach (var given in options.Explicit)
        {
            options.Masker?.Add(given.Password);
        }

        _sources = CreateSources(options, environment);
    }

    /// <inheritdoc />
    public async ValueTask<RegistryCredential?> GetAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var key = (RegistryName.Canonicalize(registry), access);
        if (_answers.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var explanation = await RunAsync(key.Item1, access, throwOnFailure: true, cancellationToken).ConfigureAwait(false);
        _answers[key] = explanation.Credential;
        return explanation.Credential;
    }

    /// <summary>
    /// Runs the chain for <paramref name="registry"/> accessed for <paramref name="access"/> and reports every source's
    /// outcome; a broken source is reported in <see cref="CredentialExplanation.Error"/> instead of thrown. Never contains a secret.
    /// </summary>
    public async Task<CredentialExplanation> ExplainAsync(string registry, RegistryAccess access, CancellationToken cancellationToken = default)
    {
        var run = await RunAsync(RegistryName.Canonicalize(registry), access, throwOnFailure: false, cancellationToken).ConfigureAwait(false);
        return run.Explanation;
    }

    private async Task<(RegistryCredential? Credential, CredentialExplanation Explanation)> RunAsync(
        string registry, RegistryAccess access, bool throwOnFailure, CancellationToken cancellationToken)
    {
        var steps = new List<CredentialTraceStep>();
        RegistryCredential? found = null;
        string? error = null;
        foreach (var source in _sources)
        {
            if (found is not null || error is not null)
            {
                steps.Add(Step(source, CredentialTraceOutcome.NotConsulted, ""));
                continue;
            }

            if (!_options.IsEnabled(source.Kind))
            {
                steps.Add(Step(source, CredentialTraceOutcome.Disabled, "turned off"));
                continue;
            }

            SourceAnswer answer;
            try
            {
                answer = await source.LookupAsync(registry, access, cancellationToken).ConfigureAwait(false);
            }
            catch (DockyardException failure) when (!throwOnFailure)
            {
                error = failure.Message;
                steps.Add(Step(source, CredentialTraceOutcome.Failed, "see the error below"));
                continue;
            }

            steps.Add(Step(source, answer.Outcome, answer.Detail));
            if (answer.Credential is not null)
            {
                found = answer.Credential;
                _options.Masker?.Add(found);
            }
        }

        var explanation = new CredentialExplanation(
            registry, RegistryName.ConfigKeyFor(registry), access, steps,
            found is null ? null : CredentialSummary.Of(found), error);
        return (error is null ? found : null, explanation);
    }

    private static CredentialTraceStep Step(ICredentialSource source, CredentialTraceOutcome outcome, string detail) =>
        new(source.Kind, source.Name, source.Location, outcome, detail);

    private static List<ICredentialSource> CreateSources(CredentialChainOptions options, CredentialEnvironment environment)
    {
        var helpers = new CredentialHelperRunner(environment, options.HelperTimeout);
        var home = environment.HomeDirectory;
        var sources = new List<ICredentialSource>
        {
            new ExplicitCredentialSource(options.Explicit.ToList()),
            new SdkEnvironmentCredentialSource(environment, options.OutputRegistry),
            DockerConfigCredentialSource.FromVariable(CredentialSourceKind.DockerAuthConfig, "DOCKER_AUTH_CONFIG", environment, helpers),
        };

        var seen = new HashSet<string>(StringComparer.Ordinal);
        void AddFile(string name, string? path, string absentDetail, DockerConfigFormat format, CredentialSourceKind kind)
        {
            if (path is not null && !seen.Add(Path.GetFullPath(path)))
            {
                return;
            }

            sources.Add(DockerConfigCredentialSource.FromFile(kind, name, path, absentDetail, format, environment, helpers));
        }

        const CredentialSourceKind docker = CredentialSourceKind.DockerConfigFile;
        if (environment.Get("DOCKER_CONFIG") is { } dockerConfig)
        {
            AddFile("docker config ($DOCKER_CONFIG)", Path.Combine(dockerConfig, "config.json"), "", DockerConfigFormat.Docker, docker);
        }

        AddFile("docker config", home is null ? null : Path.Combine(home, ".docker", "config.json"), "no home directory",
            DockerConfigFormat.Docker, docker);
        if (environment.IsRoot)
        {
            AddFile("root's docker config", Path.Combine(environment.RootHomeDirectory, ".docker", "config.json"), "",
                DockerConfigFormat.Docker, docker);
        }

        AddFile("legacy docker config", home is null ? null : Path.Combine(home, ".dockercfg"), "no home directory",
            DockerConfigFormat.LegacyDockercfg, docker);

        sources.Add(new GitLabJobCredentialSource(environment));
        sources.Add(new DependencyProxyCredentialSource(environment));

        const CredentialSourceKind podman = CredentialSourceKind.Podman;
        if (environment.Get("REGISTRY_AUTH_FILE") is { } authFile)
        {
            AddFile("podman auth file ($REGISTRY_AUTH_FILE)", authFile, "", DockerConfigFormat.Podman, podman);
        }
        else
        {
            var runtime = environment.Get("XDG_RUNTIME_DIR");
            AddFile("podman auth file", runtime is null ? null : Path.Combine(runtime, "containers", "auth.json"),
                "XDG_RUNTIME_DIR is not set", DockerConfigFormat.Podman, podman);
            var configHome = environment.Get("XDG_CONFIG_HOME") ?? (home is null ? null : Path.Combine(home, ".config"));
            AddFile("podman auth file", configHome is null ? null : Path.Combine(configHome, "containers", "auth.json"),
                "no home directory", DockerConfigFormat.Podman, podman);
        }

        return sources;
    }
}
