using System.Globalization;
using System.Text.Json;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;
using Dockyard.Processes;

namespace Dockyard.Credentials.CredentialHelpers;

/// <summary>
/// Runs <c>docker-credential-NAME get</c> (docker-credential-helpers protocol): the server key goes to stdin, the JSON
/// answer comes from stdout; the secret is never on the command line nor in any message.
/// </summary>
/// <param name="environment">What the helper sees of the environment (it gets exactly these variables).</param>
/// <param name="timeout">How long a helper may take before it is stopped with its child processes; must be positive.</param>
/// <exception cref="DockyardException">The timeout is not positive.</exception>
internal sealed class CredentialHelperRunner(CredentialEnvironment environment, TimeSpan timeout)
{
    /// <summary>The most a helper may print on either stream (1 MiB; an answer is a few KiB at most): past it, it is stopped.</summary>
    public const int MaxOutputBytes = 1024 * 1024;

    /// <summary>The exact text helpers print when they hold nothing for the server.</summary>
    public const string NotFoundMessage = "credentials not found in native keychain";

    private const string TokenUser = "<token>";
    private const int MaxMessageLength = 300;
    private const int MinMaskedLength = 4;

    private readonly TimeSpan _timeout = CredentialChainOptions.CheckHelperTimeout(timeout);

    /// <summary>Asks helper <paramref name="name"/> for <paramref name="serverKey"/>.</summary>
    /// <param name="name">The helper suffix from <c>credsStore</c>/<c>credHelpers</c>.</param>
    /// <param name="serverKey">What goes to the helper's stdin (docker's config key).</param>
    /// <param name="configuredBy">Where the helper was named, e.g. <c>~/.docker/config.json credHelpers["host"]</c>.</param>
    /// <param name="cancellationToken">Cancels the lookup (the helper is stopped).</param>
    public async Task<HelperAnswer> GetAsync(string name, string serverKey, string configuredBy, CancellationToken cancellationToken)
    {
        var program = $"docker-credential-{name}";
        if (name.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new DockyardException(
                $"{configuredBy}: credential helper name '{name}' contains a path separator. Name only the suffix NAME of a " +
                "'docker-credential-NAME' program on PATH.");
        }

        var variables = environment.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        if (environment.HomeDirectory is { } home && !variables.ContainsKey("HOME"))
        {
            variables["HOME"] = home;
        }

        var request = new ProcessRequest(program, ["get"])
        {
            InheritEnvironment = false,
            Environment = variables,
            Timeout = _timeout,
            MaxCapturedBytes = MaxOutputBytes,
            KillWhenOutputExceedsCap = true,
            StreamStandardOutput = false,
            InstallHint = $"It is named by {configuredBy}: install {program} (or put its directory on PATH), or remove the entry from the config.",
        }.WithInput(serverKey);

        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutableNotFoundException error)
        {
            throw new DockyardException(
                $"{configuredBy} names credential helper '{program}', which is not on PATH. Install {program} " +
                "(or put its directory on PATH), or remove the entry from the config.", error);
        }

        var named = $"Credential helper {program} (named by {configuredBy})";
        if (result.TimedOut)
        {
            throw new DockyardException(
                $"{named} did not answer for '{serverKey}' within {Seconds(_timeout)} s and was stopped with its child processes. " +
                "It may be waiting for a keychain unlock or a login prompt; run 'echo <server> | " + program + " get' by hand, or raise the helper timeout.");
        }

        if (result.KilledForOutput || result.StandardOutput.Truncated || result.StandardError.Truncated)
        {
            throw new DockyardException(
                $"{named} printed more than {MaxOutputBytes / 1024} KiB for '{serverKey}' (an answer is one small JSON object) and was stopped. " +
                "Check that it implements the docker credential helper protocol: run 'echo <server> | " + program + " get' by hand.");
        }

        var output = result.StandardOutput.Text;
        if (result.ExitCode != 0)
        {
            if (output.Trim() == NotFoundMessage)
            {
                return new HelperAnswer(null, $"{program}: {NotFoundMessage}");
            }

            var errors = WithoutStandardOutput(result.StandardError.Text, output).Trim();
            throw new DockyardException(
                $"{named} failed for '{serverKey}' with exit code {result.ExitCode}" +
                (errors.Length == 0 ? "" : $": {Shorten(errors)}") +
                " (its standard output is not shown: it may hold a secret; run 'echo <server> | " + program + " get' by hand to see it). " +
                $"Fix the helper's setup (try 'docker login {serverKey}') or remove the entry.");
        }

        var credential = Read(output, program, configuredBy, serverKey);
        return new HelperAnswer(credential, credential is null ? $"{program} answered without a secret" : $"{program} answered");
    }

    private static RegistryCredential? Read(string output, string program, string configuredBy, string serverKey)
    {
        string? username = null, secret = null;
        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new JsonException("not an object");
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name.Equals("Username", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    username = property.Value.GetString();
                }
                else if (property.Name.Equals("Secret", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                {
                    secret = property.Value.GetString();
                }
            }
        }
        catch (JsonException)
        {
            // Never quote the output: it may hold the secret.
            throw new DockyardException(
                $"Credential helper {program} (named by {configuredBy}) answered for '{serverKey}' with something that is not " +
                "the JSON object {\"ServerURL\",\"Username\",\"Secret\"}. Check that it implements the docker credential helper protocol.");
        }

        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var source = $"{program} (named by {configuredBy})";
        return username == TokenUser
            ? new RegistryCredential(null, null, secret, null, source)
            : new RegistryCredential(username, secret, null, null, source);
    }

    /// <summary>
    /// Standard error with every line of standard output masked: a helper that fails may print its answer (and the
    /// secret in it) on both streams.
    /// </summary>
    private static string WithoutStandardOutput(string errors, string output)
    {
        var masker = new SecretMasker();
        foreach (var line in output.Split('\n').Select(l => l.Trim()).Where(l => l.Length >= MinMaskedLength))
        {
            masker.Add(line);
        }

        try
        {
            using var document = JsonDocument.Parse(output);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String))
                {
                    masker.Add(property.Value.GetString());
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: its lines are masked already.
        }

        return masker.Mask(errors);
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length == 0 ? "(no message)" : line.Length <= MaxMessageLength ? line : line[..MaxMessageLength] + "…";
    }
}
