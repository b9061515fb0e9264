using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dockyard.Processes;
using Dockyard.Credentials;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Builders.Buildah;

/// <summary>
/// Builds without a daemon through buildah: <c>buildah bud --isolation chroot --storage-driver vfs</c> (unprivileged
/// inside a CI job; own <c>--root</c>/<c>--runroot</c> when set), then <c>buildah push</c> of every tag. Credentials
/// from an <see cref="ICredentialProvider"/> go into a temporary 0600 auth file (<c>--authfile</c>), deleted afterwards;
/// TLS verification is only turned off for loopback and listed insecure registries.
/// </summary>
public sealed partial class BuildahBackend(ICredentialProvider credentials, BuildahOptions? options = null) : IImageBuildBackend
{
    private const string Install = "install buildah (Debian/Ubuntu: apt-get install buildah; Fedora: dnf install buildah; or use the quay.io/buildah/stable image)";

    /// <summary>The settings.</summary>
    public BuildahOptions Options { get; } = options ?? new BuildahOptions();

    /// <inheritdoc />
    public bool ReturnsImages => false;

    /// <inheritdoc />
    public BackendKind Kind => BackendKind.Buildah;

    /// <inheritdoc />
    public async Task<BackendAvailability> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var executable = Options.Locate();
        if (executable is null) return BackendAvailability.Missing($"buildah ('{Options.Executable}') is not on PATH", Install);
        var result = await Options.RunAsync(executable, new SecretMasker(), ["version"], cancellationToken, timeout: Options.ProbeTimeout, log: false);
        var version = result.LastLines.Select(l => VersionLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        return result.Succeeded && version is not null
            ? BackendAvailability.Available($"buildah {version} at {executable}")
            : BackendAvailability.Missing($"'{executable} version' failed (exit {result.ExitCode}):\n{result.Tail(5)}", Install);
    }

    /// <inheritdoc />
    public async Task<BackendBuildResult> BuildAsync(BackendBuildRequest request, CancellationToken cancellationToken = default)
    {
        request.Validate("buildah backend");
        var availability = await ProbeAsync(cancellationToken);
        if (!availability.IsAvailable)
            throw new DockyardException($"buildah backend: {availability.Detail}\nTo fix: {availability.Remedy}, or choose the docker or native backend.") { Setting = Setting.Backend };
        var executable = Options.Locate()!;

        var masker = new SecretMasker();
        using var secrets = PrivateDirectory.Create("buildah-auth");
        var entries = await RegistryAuthEntries.LookUpAsync(request.RegistriesByAccess, credentials, masker, r => r, cancellationToken);
        var auths = new JsonObject();
        foreach (var (registry, key, credential) in entries)
        {
            if (credential is { RegistryToken: not null, Password: null, IdentityToken: null })
                throw new DockyardException(
                    $"buildah backend: the credential for {registry} ({credential}) is a bearer registry token, which buildah cannot use; " +
                    $"provide a user name with a password or access token for {registry}, or use the docker backend.") { Setting = Setting.Credentials };
            if (credential is not null) auths[key] = RegistryAuthEntries.Entry(credential);
        }
        var authFile = secrets.WriteSecretFile("auth.json", new JsonObject { ["auths"] = auths }.ToJsonString());

        var registriesConf = BuildahRegistriesConf.Write(secrets, request.Registries, Options);
        var (arguments, buildEnvironment) = BuildahCommands.Build(request, Options, authFile);
        var environment = new Dictionary<string, string?>(buildEnvironment, StringComparer.Ordinal);
        if (registriesConf is not null) environment[BuildahRegistriesConf.Variable] = registriesConf;
        var build = await Options.RunAsync(executable, masker, arguments, cancellationToken, environment);
        if (!build.Succeeded)
            throw new DockyardException(
                $"buildah bud of {request.ResolvedDockerfile}{(request.Target is null ? "" : $" (target {request.Target})")} failed (exit {build.ExitCode}). Last lines:\n{build.Tail()}");

        var pushed = new List<PushedTag>();
        if (request.Output == BackendOutput.Registry)
        {
            foreach (var tag in request.Tags)
            {
                var digestFile = Path.Combine(secrets.Path, "digest");
                var push = await Options.RunAsync(executable, masker, BuildahCommands.Push(tag, Options, authFile, digestFile), cancellationToken,
                    registriesConf is null ? null : new Dictionary<string, string?> { [BuildahRegistriesConf.Variable] = registriesConf });
                if (!push.Succeeded)
                    throw new DockyardException(
                        $"buildah push {tag} failed (exit {push.ExitCode}). Last lines:\n{push.Tail()}\n" +
                        $"Check that a credential for {tag.Registry} allows push (dockyard auth explain {tag.Registry})" +
                        (Options.IsInsecure(tag.Registry) ? "." : ", and that its TLS certificate is trusted (or list it as an insecure registry)."));
                pushed.Add(new PushedTag(tag, File.Exists(digestFile) ? PushDigest.Find(await File.ReadAllTextAsync(digestFile, cancellationToken)) : null));
            }
        }
        return new BackendBuildResult(BackendKind.Buildah, request.Tags, pushed);
    }

    [GeneratedRegex(@"^Version:\s*(\S+)")]
    private static partial Regex VersionLine();
}
