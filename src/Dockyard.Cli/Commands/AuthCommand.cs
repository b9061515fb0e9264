using System.CommandLine;
using Dockyard.Credentials;
using Dockyard.Cli.Hosting;
using Dockyard.Diagnostics;
using Dockyard.UseCases;

namespace Dockyard.Cli.Commands;

/// <summary>The <c>dockyard auth</c> command group: <c>auth explain REGISTRY</c>.</summary>
public static class AuthCommand
{
    /// <summary>Creates the <c>auth</c> command writing to the given output writers.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(new CliContext(stdout, stderr, interactive: false));

    /// <summary>Creates the <c>auth</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var auth = new Command("auth", "Registry credentials: where they come from.");
        auth.Subcommands.Add(CreateExplain(cli));
        return auth;
    }

    private static Command CreateExplain(CliContext cli)
    {
        var registry = new Argument<string>("REGISTRY") { Description = "The registry host[:port] (docker.io for Docker Hub)." };
        var json = new Option<bool>("--json") { Description = "Print the explanation as JSON." };
        var push = new Option<bool>("--push") { Description = "Explain the credential a push to the registry gets (DOTNET_CONTAINER_PUSH_REGISTRY_* and the generic SDK names apply)." };
        var pull = new Option<bool>("--pull") { Description = "Explain the credential a pull from the registry gets (the default; DOTNET_CONTAINER_PULL_REGISTRY_* applies)." };
        var access = new Option<string?>("--access") { Description = "pull (default) or push: the long form of --pull/--push." };
        access.AcceptOnlyFromAmong("push", "pull");
        var username = new Option<string?>("--username", "-u") { Description = "An explicit user name (the password comes from --password-stdin)." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the explicit password or token from stdin." };
        var config = new Option<string?>("--config") { Description = "Docker config directory (like docker --config; replaces $DOCKER_CONFIG)." };
        var authFile = new Option<string?>("--authfile") { Description = "Podman auth file (replaces $REGISTRY_AUTH_FILE)." };
        var disable = new Option<string[]>("--disable")
        {
            Description = $"Turn a source off (repeatable): {string.Join(", ", CredentialSourceNames.All)}.",
            AllowMultipleArgumentsPerToken = false,
        };
        var timeout = new Option<double?>("--helper-timeout") { Description = "Seconds a credential helper may take (default 30)." };

        var explain = new Command("explain", "Show which credential source answers for a registry and why the earlier ones did not (never the secret).");
        explain.Arguments.Add(registry);
        foreach (var option in new Option[] { json, push, pull, access, username, passwordStdin, config, authFile, disable, timeout })
        {
            explain.Options.Add(option);
        }

        explain.SetAction((parse, cancellationToken) => cli.RunAsync(async () =>
        {
            if (parse.GetValue(passwordStdin) || parse.GetValue(username) is not null)
            {
                var password = parse.GetValue(passwordStdin) ? await PasswordInput.ReadAsync(cli.Stdin, cancellationToken: cancellationToken) : "";
                cli.Masker.Add(password);
                cli.Credentials.Add(new ExplicitCredential(parse.GetValue(registry), parse.GetValue(username) ?? "", password));
            }

            var explanation = await CredentialExplain.RunAsync(cli.Host(), new CredentialExplainRequest
            {
                Registry = parse.GetValue(registry)!,
                Access = Direction(parse.GetValue(push), parse.GetValue(pull), parse.GetValue(access)),
                Disabled = (parse.GetValue(disable) ?? []).Select(CredentialSourceNames.Parse).ToHashSet(),
                HelperTimeout = parse.GetValue(timeout) is { } seconds ? CredentialChainOptions.HelperTimeoutFromSeconds(seconds) : null,
                DockerConfigDirectory = parse.GetValue(config),
                PodmanAuthFile = parse.GetValue(authFile),
            }, cancellationToken);
            await cli.Stdout.WriteAsync(cli.Masker.Mask(parse.GetValue(json) ? explanation.ToJson() + Environment.NewLine : explanation.ToText()));
            if (explanation.Error is { } error) throw new DockyardException(error) { Code = DiagnosticCodes.Credentials, Subject = explanation.Registry };
            return 0;
        }));
        return explain;
    }

    /// <summary>The direction asked about: <c>--push</c>, <c>--pull</c> or <c>--access</c>, pull when none is given.</summary>
    private static RegistryAccess Direction(bool push, bool pull, string? access)
    {
        var asked = new List<RegistryAccess>();
        if (push) asked.Add(RegistryAccess.Push);
        if (pull) asked.Add(RegistryAccess.Pull);
        if (access is not null) asked.Add(access == "push" ? RegistryAccess.Push : RegistryAccess.Pull);
        if (asked.Distinct().Count() > 1)
            throw new DockyardException("auth explain: --push and --pull (or --access) disagree; ask about one direction at a time.");
        return asked.Count == 0 ? RegistryAccess.Pull : asked[0];
    }
}
