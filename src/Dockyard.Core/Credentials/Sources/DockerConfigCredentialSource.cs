using Dockyard.Credentials.CredentialHelpers;
using Dockyard.Credentials.DockerConfig;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials.Sources;

/// <summary>
/// One docker-style config (a variable's value or a file): <c>credHelpers[key]</c>, then <c>credsStore</c>, then
/// <c>auths</c>; a level that has nothing (no entry, helper says "not found") passes to the next.
/// Keys are matched exactly first, then by docker's host-only comparison.
/// </summary>
internal sealed class DockerConfigCredentialSource : ICredentialSource
{
    private readonly string _origin;
    private readonly Func<string?> _load;
    private readonly string _absentDetail;
    private readonly DockerConfigFormat _format;
    private readonly CredentialHelperRunner _helpers;
    private readonly CredentialEnvironment _environment;

    private DockerConfigCredentialSource(
        CredentialSourceKind kind, string name, string? location, string origin, Func<string?> load, string absentDetail,
        DockerConfigFormat format, CredentialHelperRunner helpers, CredentialEnvironment environment)
    {
        Kind = kind;
        Name = name;
        Location = location;
        _origin = origin;
        _load = load;
        _absentDetail = absentDetail;
        _format = format;
        _helpers = helpers;
        _environment = environment;
    }

    public CredentialSourceKind Kind { get; }

    public string Name { get; }

    public string? Location { get; }

    /// <summary>A config held in an environment variable (GitLab's <c>DOCKER_AUTH_CONFIG</c>).</summary>
    public static DockerConfigCredentialSource FromVariable(
        CredentialSourceKind kind, string variable, CredentialEnvironment environment, CredentialHelperRunner helpers) =>
        new(kind, variable, "environment variable", variable, () => environment.Get(variable), $"{variable} is not set",
            DockerConfigFormat.Docker, helpers, environment);

    /// <summary>A config file; <paramref name="path"/> <c>null</c> means it cannot exist (e.g. no home directory).</summary>
    public static DockerConfigCredentialSource FromFile(
        CredentialSourceKind kind, string name, string? path, string absentDetail, DockerConfigFormat format,
        CredentialEnvironment environment, CredentialHelperRunner helpers) =>
        new(kind, name, path, path ?? name, () => path is not null && File.Exists(path) ? Read(path) : null,
            path is null ? absentDetail : "file not found", format, helpers, environment);

    public async Task<SourceAnswer> LookupAsync(string registry, RegistryAccess access, CancellationToken cancellationToken)
    {
        var text = _load();
        if (text is null)
        {
            return SourceAnswer.Absent(_absentDetail);
        }

        var origin = _origin;
        var config = _format == DockerConfigFormat.LegacyDockercfg
            ? DockerConfigParser.ParseLegacy(text, origin)
            : DockerConfigParser.ParseConfig(text, origin);
        var candidates = CandidateKeys(registry);
        var serverKey = _format == DockerConfigFormat.Podman ? registry : RegistryName.ConfigKeyFor(registry);
        var misses = new List<string>();

        if (FindKey(config.CredHelpers.Keys, candidates, registry) is { } helperKey)
        {
            var where = $"credHelpers[\"{helperKey}\"]";
            var answer = await AskHelperAsync(config.CredHelpers[helperKey], serverKey, registry, $"{origin} {where}", true, cancellationToken)
                .ConfigureAwait(false);
            if (answer.Credential is not null)
            {
                return SourceAnswer.Answered(answer.Credential, $"{where}: {answer.Detail}");
            }

            misses.Add($"{where}: {answer.Detail}");
        }

        if (config.CredsStore is { } store)
        {
            var answer = await AskHelperAsync(store, serverKey, registry, $"{origin} credsStore", false, cancellationToken)
                .ConfigureAwait(false);
            if (answer.Credential is not null)
            {
                return SourceAnswer.Answered(answer.Credential, $"credsStore: {answer.Detail}");
            }

            misses.Add($"credsStore: {answer.Detail}");
        }

        var authKey = FindKey(config.Auths.Select(a => a.Key), candidates, registry);
        var entry = authKey is null ? null : config.Auths.First(a => a.Key == authKey);
        if (entry is { IsEmpty: false })
        {
            var credential = new RegistryCredential(
                entry.Username, entry.Password, entry.IdentityToken, entry.RegistryToken, $"{origin} {entry}");
            return SourceAnswer.Answered(credential, $"{entry} ({Describe(entry)})");
        }

        misses.Add(entry is null ? $"no auths entry for {string.Join(" or ", candidates.Select(c => $"\"{c}\""))}" : $"{entry} holds no secret");
        return SourceAnswer.NoMatch(string.Join("; ", misses));
    }

    private async Task<HelperAnswer> AskHelperAsync(
        string helper, string serverKey, string registry, string configuredBy, bool namedForRegistry, CancellationToken cancellationToken)
    {
        if (helper == EcrRegion.HelperName && EcrRegion.Resolve(registry, _environment) is null)
        {
            var why = $"docker-credential-ecr-login needs an AWS region: {registry} is not an ECR registry host " +
                      "(<account>.dkr.ecr.<region>.amazonaws.com) and none of AWS_REGION, AWS_DEFAULT_REGION or a 'region' in " +
                      "the AWS config file (~/.aws/config, profile $AWS_PROFILE or default) is set";
            if (namedForRegistry)
            {
                throw new DockyardException($"{configuredBy}: {why}. Set AWS_REGION or add 'region = <region>' to ~/.aws/config.");
            }

            return new HelperAnswer(null, $"skipped, {why}");
        }

        var answer = await _helpers.GetAsync(helper, serverKey, configuredBy, cancellationToken).ConfigureAwait(false);
        return answer.Credential is null && helper == EcrRegion.HelperName
            ? answer with { Detail = answer.Detail + " (ecr-login reports every failure, such as missing AWS credentials, this way)" }
            : answer;
    }

    private IReadOnlyList<string> CandidateKeys(string registry) => _format == DockerConfigFormat.Podman
        ? new[] { registry, RegistryName.ConfigKeyFor(registry) }.Distinct().ToArray()
        : [RegistryName.ConfigKeyFor(registry)];

    /// <summary>The exact candidate key if present, else the first key (host keys before path keys, then ordinal) naming the host.</summary>
    private string? FindKey(IEnumerable<string> keys, IReadOnlyList<string> candidates, string registry)
    {
        var all = keys.ToList();
        foreach (var candidate in candidates)
        {
            if (all.Contains(candidate, StringComparer.Ordinal))
            {
                return candidate;
            }
        }

        Func<string, string, bool> matches = _format == DockerConfigFormat.Podman ? RegistryName.PodmanKeyMatches : RegistryName.KeyMatches;
        return all.Where(k => matches(k, registry))
            .OrderBy(k => k.Replace("://", "", StringComparison.Ordinal).Contains('/'))
            .ThenBy(k => k, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static string Describe(DockerAuthEntry entry) =>
        entry.RegistryToken is not null ? "registry token" : entry.IdentityToken is not null ? "identity token" : "user and password";

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{path}: cannot be read ({error.GetType().Name}). Fix its permissions or remove it.", error);
        }
    }
}
