using Dockyard.Credentials;
using Dockyard.Credentials.CredentialHelpers;
using Dockyard.Credentials.Explanation;
using Dockyard.Diagnostics;

namespace Dockyard.Tests.Credentials;

public class CredentialHelperTests : IDisposable
{
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private CredentialHelperRunner Runner(double seconds = 20) => new(_sandbox.Environment, TimeSpan.FromSeconds(seconds));

    [Fact]
    public async Task Answering_helper_gives_user_and_password()
    {
        _sandbox.WriteAnsweringHelper("test", "alice", "helper-secret-111");
        var answer = await Runner().GetAsync("test", "registry.example.com", "config credHelpers", CancellationToken.None);
        Assert.Equal(("alice", "helper-secret-111"), (answer.Credential!.Username, answer.Credential.Password));
        Assert.Null(answer.Credential.IdentityToken);
        Assert.Contains("docker-credential-test", answer.Credential.Source);
    }

    [Fact]
    public async Task Token_user_means_identity_token()
    {
        _sandbox.WriteAnsweringHelper("test", "<token>", "refresh-token-222");
        var answer = await Runner().GetAsync("test", "registry.example.com", "config credsStore", CancellationToken.None);
        Assert.Equal("refresh-token-222", answer.Credential!.IdentityToken);
        Assert.Null(answer.Credential.Password);
        Assert.Null(answer.Credential.Username);
    }

    [Fact]
    public async Task Not_found_in_native_keychain_means_anonymous()
    {
        _sandbox.WriteHelper("test", "echo 'credentials not found in native keychain'\nexit 1");
        var answer = await Runner().GetAsync("test", "registry.example.com", "config credsStore", CancellationToken.None);
        Assert.Null(answer.Credential);
        Assert.Contains("credentials not found in native keychain", answer.Detail);
    }

    [Fact]
    public async Task Failing_helper_is_an_error_with_its_stderr_message_and_exit_code()
    {
        _sandbox.WriteHelper("test", "echo 'error getting credentials - keychain locked' >&2\nexit 2");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "/h/.docker/config.json credsStore", CancellationToken.None));
        Assert.Contains("docker-credential-test", error.Message);
        Assert.Contains("/h/.docker/config.json credsStore", error.Message);
        Assert.Contains("exit code 2", error.Message);
        Assert.Contains("keychain locked", error.Message);
    }

    [Fact]
    public async Task Failing_helper_never_has_its_stdout_quoted()
    {
        _sandbox.WriteHelper("test", "echo 'stdout-message-888 of a failing helper'\nexit 2");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("exit code 2", error.Message);
        Assert.Contains("standard output is not shown", error.Message);
        Assert.DoesNotContain("stdout-message-888", error.Message);
    }

    [Fact]
    public async Task Helper_that_exits_1_with_a_json_answer_leaks_neither_the_secret_nor_its_echo_on_stderr()
    {
        _sandbox.WriteHelper("test", """
            printf '{"ServerURL":"registry.example.com","Username":"bob","Secret":"json-secret-555"}\n'
            echo 'refusing to hand out json-secret-555 today' >&2
            exit 1
            """);
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("exit code 1", error.Message);
        Assert.Contains("refusing to hand out **** today", error.Message);
        Assert.DoesNotContain("json-secret-555", error.Message);
        Assert.DoesNotContain("ServerURL", error.Message);
    }

    [Fact]
    public async Task Helper_whose_background_child_keeps_stdout_open_still_answers()
    {
        var pidFile = Path.Combine(_sandbox.Root, "background.pid");
        _sandbox.WriteHelper("test", $$"""
            sleep 300 &
            echo $! > '{{pidFile}}'
            printf '{"ServerURL":"x","Username":"carol","Secret":"background-secret-999"}'
            """);
        try
        {
            var answer = await Runner().GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None);
            Assert.Equal(("carol", "background-secret-999"), (answer.Credential!.Username, answer.Credential.Password));
        }
        finally
        {
            var pid = int.Parse(File.ReadAllText(pidFile).Trim());
            if (Infrastructure.ProcessProbe.IsRunning(pid)) System.Diagnostics.Process.GetProcessById(pid).Kill();
        }
    }

    [Fact]
    public async Task Helper_with_endless_output_is_stopped_at_the_cap_without_quoting_it()
    {
        var pidFile = Path.Combine(_sandbox.Root, "yes.pid");
        _sandbox.WriteHelper("test", $"echo $$ > '{pidFile}'\nexec yes endless-secret-666");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("docker-credential-test", error.Message);
        Assert.Contains($"more than {CredentialHelperRunner.MaxOutputBytes / 1024} KiB", error.Message);
        Assert.DoesNotContain("endless-secret-666", error.Message);
        Assert.True(Infrastructure.ProcessProbe.WaitUntilGone(int.Parse(File.ReadAllText(pidFile).Trim())), "the helper still runs");
    }

    [Fact]
    public async Task Helper_timeout_kills_the_background_children_too()
    {
        var pidFile = Path.Combine(_sandbox.Root, "grandchild.pid");
        _sandbox.WriteHelper("test", $"sh -c 'sleep 300 & echo $! > \"{pidFile}\"'\nsleep 300");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner(seconds: 1).GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("did not answer", error.Message);
        Assert.True(Infrastructure.ProcessProbe.WaitUntilGone(int.Parse(File.ReadAllText(pidFile).Trim())), "the helper's child still runs");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.001)]
    [InlineData(-30)]
    public void Helper_timeout_must_be_positive(double seconds)
    {
        var error = Assert.Throws<DockyardException>(() => new CredentialHelperRunner(_sandbox.Environment, TimeSpan.FromSeconds(seconds)));
        Assert.Contains("greater than 0", error.Message);
        Assert.Throws<DockyardException>(() => _sandbox.Chain(new CredentialChainOptions { HelperTimeout = TimeSpan.FromSeconds(seconds) }));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-0.001)]
    [InlineData(0)]
    [InlineData(1e12)]
    public void Helper_timeout_option_is_validated(double seconds)
    {
        var error = Assert.Throws<DockyardException>(() => CredentialChainOptions.HelperTimeoutFromSeconds(seconds));
        Assert.StartsWith("--helper-timeout ", error.Message);
        Assert.Contains("greater than 0", error.Message);
    }

    [Fact]
    public void Helper_timeout_option_takes_fractions()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1500), CredentialChainOptions.HelperTimeoutFromSeconds(1.5));
    }

    [Fact]
    public async Task Helper_message_on_stderr_is_used_when_stdout_is_empty()
    {
        _sandbox.WriteHelper("test", "echo 'no backend' >&2\nexit 1");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "cfg", CancellationToken.None));
        Assert.Contains("no backend", error.Message);
    }

    [Fact]
    public async Task Missing_helper_is_named_with_what_to_do()
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("nosuch", "registry.example.com", "DOCKER_AUTH_CONFIG credHelpers[\"registry.example.com\"]", CancellationToken.None));
        Assert.Contains("docker-credential-nosuch", error.Message);
        Assert.Contains("not on PATH", error.Message);
        Assert.Contains("DOCKER_AUTH_CONFIG credHelpers[\"registry.example.com\"]", error.Message);
    }

    [Theory]
    [InlineData("../evil")]
    [InlineData("/usr/bin/evil")]
    [InlineData("sub\\evil")]
    public async Task Helper_name_with_a_path_separator_is_refused(string name)
    {
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync(name, "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("path separator", error.Message);
    }

    [Fact]
    public async Task Hanging_helper_is_stopped_after_the_timeout_and_named()
    {
        var marker = Path.Combine(_sandbox.Root, "hung.pid");
        _sandbox.WriteHelper("test", $"echo $$ > '{marker}'\nsleep 300");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner(seconds: 1).GetAsync("test", "registry.example.com", "cfg credsStore", CancellationToken.None));
        Assert.Contains("docker-credential-test", error.Message);
        Assert.Contains("did not answer", error.Message);
        Assert.Contains("within 1 s", error.Message);
        var pid = int.Parse(File.ReadAllText(marker).Trim());
        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "), "helper still running");
    }

    [Fact]
    public async Task Non_json_answer_is_an_error_that_does_not_quote_the_output()
    {
        _sandbox.WriteHelper("test", "echo 'Secret=leaky-secret-333'");
        var error = await Assert.ThrowsAsync<DockyardException>(() =>
            Runner().GetAsync("test", "registry.example.com", "cfg", CancellationToken.None));
        Assert.Contains("not the JSON object", error.Message);
        Assert.DoesNotContain("leaky-secret-333", error.Message);
    }

    [Fact]
    public async Task Secret_travels_only_through_stdin_and_stdout_never_argv()
    {
        var argvFile = Path.Combine(_sandbox.Root, "argv");
        var stdinFile = Path.Combine(_sandbox.Root, "stdin");
        _sandbox.WriteHelper("recorder", $$"""
            for a in "$@"; do printf '%s\n' "$a" >> '{{argvFile}}'; done
            cat /proc/$$/cmdline | tr '\0' '\n' >> '{{argvFile}}'
            cat > '{{stdinFile}}'
            printf '{"ServerURL":"x","Username":"rec","Secret":"recorded-secret-444"}'
            """);
        _sandbox.WriteDockerConfig("""{"credHelpers":{"registry.example.com":"recorder"}}""");
        var credential = await _sandbox.Chain().GetAsync("registry.example.com", RegistryAccess.Push);

        Assert.Equal("recorded-secret-444", credential!.Password);
        var argv = File.ReadAllLines(argvFile);
        Assert.Equal("get", argv[0]);
        Assert.DoesNotContain(argv, line => line.Contains("recorded-secret-444") || line.Contains("registry.example.com"));
        Assert.Equal("registry.example.com", File.ReadAllText(stdinFile));
    }

    [Fact]
    public async Task Docker_hub_is_asked_for_with_the_index_key()
    {
        var stdinFile = Path.Combine(_sandbox.Root, "stdin");
        _sandbox.WriteHelper("recorder", $"cat > '{stdinFile}'\nprintf '{{\"Username\":\"hub\",\"Secret\":\"hub-secret-555\"}}'");
        _sandbox.WriteDockerConfig("""{"credHelpers":{"https://index.docker.io/v1/":"recorder"}}""");
        var credential = await _sandbox.Chain().GetAsync("docker.io", RegistryAccess.Push);
        Assert.Equal("hub-secret-555", credential!.Password);
        Assert.Equal("https://index.docker.io/v1/", File.ReadAllText(stdinFile));
    }

    [Fact]
    public async Task Helper_sees_the_injected_environment()
    {
        _sandbox.Variables["HELPER_ANSWER"] = "env-secret-666";
        _sandbox.WriteHelper("test", "cat >/dev/null\nprintf '{\"Username\":\"u\",\"Secret\":\"%s\"}' \"$HELPER_ANSWER\"");
        var answer = await Runner().GetAsync("test", "registry.example.com", "cfg", CancellationToken.None);
        Assert.Equal("env-secret-666", answer.Credential!.Password);
    }

    [Fact]
    public async Task Ecr_login_named_for_a_non_ecr_host_without_region_says_so()
    {
        _sandbox.WriteAnsweringHelper("ecr-login", "AWS", "ecr-token-777");
        _sandbox.WriteDockerConfig("""{"credHelpers":{"mirror.example.com":"ecr-login"}}""");
        var error = await Assert.ThrowsAsync<DockyardException>(() => _sandbox.Chain().GetAsync("mirror.example.com", RegistryAccess.Push).AsTask());
        Assert.Contains("needs an AWS region", error.Message);
        Assert.Contains("AWS_REGION", error.Message);
        Assert.Contains("credHelpers[\"mirror.example.com\"]", error.Message);

        _sandbox.Variables["AWS_REGION"] = "eu-west-1";
        Assert.Equal("ecr-token-777", (await _sandbox.Chain().GetAsync("mirror.example.com", RegistryAccess.Push))!.Password);
    }

    [Fact]
    public async Task Ecr_login_for_an_ecr_host_takes_the_region_from_the_host()
    {
        _sandbox.WriteAnsweringHelper("ecr-login", "AWS", "ecr-token-888");
        _sandbox.WriteDockerConfig("""{"credHelpers":{"123456789012.dkr.ecr.eu-west-1.amazonaws.com":"ecr-login"}}""");
        var credential = await _sandbox.Chain().GetAsync("123456789012.dkr.ecr.eu-west-1.amazonaws.com", RegistryAccess.Push);
        Assert.Equal(("AWS", "ecr-token-888"), (credential!.Username, credential.Password));
    }

    [Fact]
    public async Task Ecr_login_as_credsStore_without_region_skips_other_registries_and_explains_why()
    {
        _sandbox.WriteAnsweringHelper("ecr-login", "AWS", "ecr-token-999");
        _sandbox.WriteDockerConfig("""{"credsStore":"ecr-login"}""");
        var explanation = await _sandbox.Chain().ExplainAsync("docker.io", RegistryAccess.Push);
        Assert.Null(explanation.Credential);
        Assert.Null(explanation.Error);
        var step = explanation.Steps.Single(s => s.Location == Path.Combine(_sandbox.Home, ".docker", "config.json"));
        Assert.Equal(CredentialTraceOutcome.NoMatch, step.Outcome);
        Assert.Contains("needs an AWS region", step.Detail);
    }

    [Fact]
    public async Task Ecr_login_not_found_warns_that_it_hides_failures()
    {
        _sandbox.WriteHelper("ecr-login", "echo 'credentials not found in native keychain'\nexit 1");
        _sandbox.WriteDockerConfig("""{"credHelpers":{"123456789012.dkr.ecr.eu-west-1.amazonaws.com":"ecr-login"}}""");
        var explanation = await _sandbox.Chain().ExplainAsync("123456789012.dkr.ecr.eu-west-1.amazonaws.com", RegistryAccess.Push);
        Assert.Null(explanation.Credential);
        Assert.Contains(explanation.Steps, s => s.Detail.Contains("ecr-login reports every failure"));
    }

    [Fact]
    public async Task Answer_without_a_secret_is_no_credential()
    {
        _sandbox.WriteHelper("test", "cat >/dev/null\nprintf '{\"ServerURL\":\"r\",\"Username\":\"\",\"Secret\":\"\"}'");
        var answer = await Runner().GetAsync("test", "registry.example.com", "cfg", CancellationToken.None);
        Assert.Null(answer.Credential);
        Assert.Equal("docker-credential-test answered without a secret", answer.Detail);
    }
}
