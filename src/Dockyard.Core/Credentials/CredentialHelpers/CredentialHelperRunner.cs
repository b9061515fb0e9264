using System.Diagnostics;
using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials.CredentialHelpers;

/// <summary>
/// Runs <c>docker-credential-NAME get</c> (docker-credential-helpers protocol): the server key goes to stdin, the JSON
/// answer comes from stdout; the secret is never on the command line nor in any message.
/// </summary>
internal sealed class CredentialHelperRunner(CredentialEnvironment environment, TimeSpan timeout)
{
    /// <summary>The exact text helpers print when they hold nothing for the server.</summary>
    public const string NotFoundMessage = "credentials not found in native keychain";

    private const string TokenUser = "<token>";
    private const int MaxMessageLength = 300;

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

        var path = Locate(program) ?? throw new DockyardException(
            $"{configuredBy} names credential helper '{program}', which is not on PATH. Install {program} " +
            "(or put its directory on PATH), or remove the entry from the config.");

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("get");
        start.Environment.Clear();
        foreach (var (key, value) in environment.Variables)
        {
            start.Environment[key] = value;
        }

        if (environment.HomeDirectory is { } home && !environment.Variables.ContainsKey("HOME"))
        {
            start.Environment["HOME"] = home;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception error) when (error is System.ComponentModel.Win32Exception or IOException)
        {
            throw new DockyardException(
                $"{configuredBy}: could not start credential helper {path} ({error.Message}). Check that it is executable.", error);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            try
            {
                await process.StandardInput.WriteAsync(serverKey.AsMemory(), deadline.Token).ConfigureAwait(false);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading stdin; its exit status and output tell what happened.
            }

            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stop(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new DockyardException(
                $"Credential helper {program} (named by {configuredBy}) did not answer for '{serverKey}' within " +
                $"{timeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s and was stopped. It may be waiting for a keychain unlock or a login prompt; " +
                "run 'echo <server> | " + program + " get' by hand, or raise the helper timeout.");
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var message = output.Trim();
            if (message == NotFoundMessage)
            {
                return new HelperAnswer(null, $"{program}: {NotFoundMessage}");
            }

            if (message.Length == 0)
            {
                message = errors.Trim();
            }

            throw new DockyardException(
                $"Credential helper {program} (named by {configuredBy}) failed for '{serverKey}' with exit code " +
                $"{process.ExitCode}: {Shorten(message)}. Fix the helper's setup (try 'docker login {serverKey}') or remove the entry.");
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

    private string? Locate(string program)
    {
        var pathVariable = environment.Get("PATH");
        if (pathVariable is null)
        {
            return null;
        }

        string[] names = OperatingSystem.IsWindows() ? [program + ".exe", program + ".cmd", program] : [program];
        foreach (var directory in pathVariable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in names.Select(n => Path.Combine(directory, n)))
            {
                if (File.Exists(candidate) && IsExecutable(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() ||
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static void Stop(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static string Shorten(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length == 0 ? "(no message)" : line.Length <= MaxMessageLength ? line : line[..MaxMessageLength] + "…";
    }
}
