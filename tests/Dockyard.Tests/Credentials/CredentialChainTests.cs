using Dockyard.Credentials;
using Dockyard.Credentials.Explanation;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Tests.Credentials;

public class CredentialChainTests : IDisposable
{
    private const string Registry = "registry.example.com";
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static string AuthsJson(string key, string user, string password) =>
        $$"""{"auths":{"{{key}}":{"auth":"{{CredentialSandbox.Auth(user, password)}}"} } }""";

    private async Task<RegistryCredential?> Get(string registry = Registry, CredentialChainOptions? options = null, RegistryAccess access = RegistryAccess.Push) =>
        await _sandbox.Chain(options).GetAsync(registry, access);

    [Fact]
    public async Task Nothing_configured_means_anonymous_with_every_source_explained()
    {
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Null(explanation.Credential);
        Assert.Null(explanation.Error);
        Assert.All(explanation.Steps, s => Assert.Equal(CredentialTraceOutcome.Absent, s.Outcome));
        Assert.Equal(
            [
                CredentialSourceKind.Explicit, CredentialSourceKind.SdkEnvironment, CredentialSourceKind.DockerAuthConfig,
                CredentialSourceKind.DockerConfigFile, CredentialSourceKind.DockerConfigFile, CredentialSourceKind.GitLabJob,
                CredentialSourceKind.GitLabDependencyProxy, CredentialSourceKind.Podman, CredentialSourceKind.Podman,
            ],
            explanation.Steps.Select(s => s.Kind));
        Assert.Contains("will be accessed anonymously", explanation.ToText());
        Assert.Null(await Get());
    }

    [Fact]
    public async Task Explicit_credentials_beat_every_other_source()
    {
        _sandbox.Variables["DOTNET_CONTAINER_REGISTRY_UNAME"] = "sdk";
        _sandbox.Variables["DOTNET_CONTAINER_REGISTRY_PWORD"] = "sdk-password-1";
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = AuthsJson(Registry, "dac", "dac-password-1");
        _sandbox.Variables["CI_REGISTRY"] = Registry;
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-1";
        var options = new CredentialChainOptions { Explicit = [new ExplicitCredential(null, "me", "explicit-password-1")] };
        var credential = await Get(options: options);
        Assert.Equal(("me", "explicit-password-1"), (credential!.Username, credential.Password));

        options.Disabled.Add(CredentialSourceKind.Explicit);
        Assert.Equal("sdk-password-1", (await Get(options: options))!.Password);
    }

    [Fact]
    public async Task Explicit_credentials_for_another_registry_do_not_match()
    {
        var options = new CredentialChainOptions
        {
            Explicit = [new ExplicitCredential("other.example.com", "me", "explicit-password-2"), new ExplicitCredential("REGISTRY.example.com", "me2", "explicit-password-3")],
        };
        Assert.Equal("explicit-password-3", (await Get(options: options))!.Password);
        var explanation = await _sandbox.Chain(options).ExplainAsync("third.example.com", RegistryAccess.Push);
        Assert.Equal(CredentialTraceOutcome.NoMatch, explanation.Steps[0].Outcome);
        Assert.Contains("given only for other.example.com, registry.example.com", explanation.Steps[0].Detail);
    }

    [Fact]
    public async Task Explicit_credentials_with_an_empty_password_are_an_error()
    {
        var options = new CredentialChainOptions { Explicit = [new ExplicitCredential(null, "me", "")] };
        var error = await Assert.ThrowsAsync<DockyardException>(() => Get(options: options));
        Assert.Contains("empty password", error.Message);
    }

    [Theory]
    [InlineData(RegistryAccess.Push, false, "push-password")]
    [InlineData(RegistryAccess.Pull, false, "pull-password")]
    [InlineData(RegistryAccess.Pull, true, "pull-password")]
    public async Task Sdk_variables_follow_the_sdk_precedence(RegistryAccess access, bool isOutput, string expected)
    {
        foreach (var (prefix, value) in new[]
                 {
                     ("DOTNET_CONTAINER_PUSH_REGISTRY_", "push-password"), ("DOTNET_CONTAINER_PULL_REGISTRY_", "pull-password"),
                     ("DOTNET_CONTAINER_REGISTRY_", "generic-password"), ("SDK_CONTAINER_REGISTRY_", "legacy-password"),
                 })
        {
            _sandbox.Variables[prefix + "UNAME"] = "u";
            _sandbox.Variables[prefix + "PWORD"] = value;
        }

        var options = new CredentialChainOptions { OutputRegistry = isOutput ? Registry : null };
        Assert.Equal(expected, (await Get(options: options, access: access))!.Password);
    }

    [Fact]
    public async Task Push_only_sdk_variables_never_answer_a_pull_and_answers_are_cached_per_direction()
    {
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "pusher";
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = "push-only-password";
        var chain = _sandbox.Chain(new CredentialChainOptions { OutputRegistry = Registry });
        Assert.Equal("push-only-password", (await chain.GetAsync(Registry, RegistryAccess.Push))!.Password);
        Assert.Null(await chain.GetAsync(Registry, RegistryAccess.Pull));
        Assert.Null(await chain.GetAsync("base.example.com", RegistryAccess.Pull));
        Assert.Equal("push-only-password", (await chain.GetAsync(Registry, RegistryAccess.Push))!.Password);

        var pull = await chain.ExplainAsync(Registry, RegistryAccess.Pull);
        Assert.Equal(RegistryAccess.Pull, pull.Access);
        Assert.Contains(pull.Steps, s => s.Kind == CredentialSourceKind.SdkEnvironment && s.Outcome == Dockyard.Credentials.Explanation.CredentialTraceOutcome.Absent);
        Assert.Contains("\"access\": \"pull\"", pull.ToJson());
    }

    [Fact]
    public async Task Sdk_generic_and_legacy_variables_apply_to_pushes_and_to_pulls_from_the_output_registry_only()
    {
        _sandbox.Variables["SDK_CONTAINER_REGISTRY_UNAME"] = "legacy";
        _sandbox.Variables["SDK_CONTAINER_REGISTRY_PWORD"] = "legacy-password";
        Assert.Equal("legacy-password", (await Get())!.Password);
        Assert.Null(await Get(access: RegistryAccess.Pull));
        var pullFromOutput = new CredentialChainOptions { OutputRegistry = "https://Registry.example.com" };
        Assert.Equal("legacy-password", (await Get(options: pullFromOutput, access: RegistryAccess.Pull))!.Password);

        _sandbox.Variables["DOTNET_CONTAINER_REGISTRY_UNAME"] = "generic";
        _sandbox.Variables["DOTNET_CONTAINER_REGISTRY_PWORD"] = "generic-password";
        Assert.Equal("generic-password", (await Get())!.Password);
    }

    [Fact]
    public async Task Half_set_sdk_pair_is_ignored_and_explained()
    {
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "only-user";
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Null(explanation.Credential);
        Assert.Equal(CredentialTraceOutcome.NoMatch, explanation.Steps[1].Outcome);
        Assert.Contains("DOTNET_CONTAINER_PUSH_REGISTRY_UNAME is set without DOTNET_CONTAINER_PUSH_REGISTRY_PWORD", explanation.Steps[1].Detail);
    }

    [Fact]
    public async Task Docker_auth_config_beats_the_docker_config_file_and_the_job_token()
    {
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = AuthsJson(Registry, "dac", "dac-password-2");
        _sandbox.WriteDockerConfig(AuthsJson(Registry, "file", "file-password-2"));
        _sandbox.Variables["CI_REGISTRY"] = Registry;
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-2";

        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Equal("dac", explanation.Credential!.Username);
        Assert.Equal("DOCKER_AUTH_CONFIG auths[\"registry.example.com\"]", explanation.Credential.Source);
        Assert.Equal(CredentialTraceOutcome.Answered, explanation.Steps.Single(s => s.Kind == CredentialSourceKind.DockerAuthConfig).Outcome);
        Assert.All(explanation.Steps.Skip(3), s => Assert.Equal(CredentialTraceOutcome.NotConsulted, s.Outcome));

        _sandbox.Variables.Remove("DOCKER_AUTH_CONFIG");
        Assert.Equal("file-password-2", (await Get())!.Password);

        File.Delete(Path.Combine(_sandbox.Home, ".docker", "config.json"));
        var job = await Get();
        Assert.Equal(("gitlab-ci-token", "job-token-2"), (job!.Username, job.Password));
    }

    [Fact]
    public async Task Docker_auth_config_for_another_registry_lets_the_job_token_answer()
    {
        // GitLab Runner merges per registry: a DOCKER_AUTH_CONFIG without $CI_REGISTRY leaves the job credentials in play.
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = AuthsJson("other.example.com", "dac", "dac-password-3");
        _sandbox.Variables["CI_REGISTRY"] = "Registry.Example.com";
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-3";
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        var dac = explanation.Steps.Single(s => s.Kind == CredentialSourceKind.DockerAuthConfig);
        Assert.Equal(CredentialTraceOutcome.NoMatch, dac.Outcome);
        Assert.Contains("no auths entry for \"registry.example.com\"", dac.Detail);
        Assert.Equal("gitlab-ci-token/CI_JOB_TOKEN", explanation.Credential!.Source);
    }

    [Fact]
    public async Task Job_credentials_prefer_registry_user_then_job_token_then_deploy_token()
    {
        _sandbox.Variables["CI_REGISTRY"] = "registry.example.com:5050";
        _sandbox.Variables["CI_DEPLOY_USER"] = "gitlab+deploy-token-1";
        _sandbox.Variables["CI_DEPLOY_PASSWORD"] = "deploy-password-4";
        const string jobRegistry = "registry.example.com:5050";
        Assert.Equal("deploy-password-4", (await Get(jobRegistry))!.Password);

        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-4";
        Assert.Equal(("gitlab-ci-token", "job-token-4"), ((await Get(jobRegistry))!.Username, (await Get(jobRegistry))!.Password));

        _sandbox.Variables["CI_REGISTRY_USER"] = "gitlab-ci-token";
        _sandbox.Variables["CI_REGISTRY_PASSWORD"] = "registry-password-4";
        Assert.Equal("registry-password-4", (await Get(jobRegistry))!.Password);

        var elsewhere = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        var step = elsewhere.Steps.Single(s => s.Kind == CredentialSourceKind.GitLabJob);
        Assert.Equal(CredentialTraceOutcome.NoMatch, step.Outcome);
        Assert.Equal("CI_REGISTRY is registry.example.com:5050", step.Detail);
    }

    [Fact]
    public async Task Dependency_proxy_credentials_answer_for_the_proxy_server()
    {
        _sandbox.Variables["CI_REGISTRY"] = "registry.gitlab.example.com";
        _sandbox.Variables["CI_DEPENDENCY_PROXY_SERVER"] = "gitlab.example.com:443";
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-5";
        Assert.Equal("job-token-5", (await Get("gitlab.example.com:443"))!.Password);

        _sandbox.Variables["CI_DEPENDENCY_PROXY_USER"] = "gitlab-ci-token";
        _sandbox.Variables["CI_DEPENDENCY_PROXY_PASSWORD"] = "proxy-password-5";
        var credential = await Get("gitlab.example.com:443");
        Assert.Equal("proxy-password-5", credential!.Password);
        Assert.Equal("CI_DEPENDENCY_PROXY_USER/CI_DEPENDENCY_PROXY_PASSWORD", credential.Source);
        Assert.Null(await Get("gitlab.example.com"));
    }

    [Fact]
    public async Task Within_a_config_credHelpers_beat_credsStore_beat_auths()
    {
        _sandbox.WriteAnsweringHelper("perhost", "helper-user", "helper-password-6");
        _sandbox.WriteAnsweringHelper("store", "store-user", "store-password-6");
        _sandbox.WriteDockerConfig($$"""
            {"auths":{"{{Registry}}":{"auth":"{{CredentialSandbox.Auth("auths-user", "auths-password-6")}}"} },
             "credsStore":"store","credHelpers":{"{{Registry}}":"perhost"} }
            """);
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Equal("helper-user", explanation.Credential!.Username);
        Assert.StartsWith("credHelpers[\"registry.example.com\"]: docker-credential-perhost answered",
            explanation.Steps.Single(s => s.Outcome == CredentialTraceOutcome.Answered).Detail);

        _sandbox.WriteHelper("perhost", "echo 'credentials not found in native keychain'; exit 1");
        Assert.Equal("store-password-6", (await Get())!.Password);

        _sandbox.WriteHelper("store", "echo 'credentials not found in native keychain'; exit 1");
        var last = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Equal("auths-user", last.Credential!.Username);
        Assert.StartsWith("auths[\"registry.example.com\"]", last.Steps.Single(s => s.Outcome == CredentialTraceOutcome.Answered).Detail);
    }

    [Fact]
    public async Task Store_with_nothing_and_an_empty_auths_entry_is_no_match_with_reasons()
    {
        _sandbox.WriteHelper("store", "echo 'credentials not found in native keychain'; exit 1");
        _sandbox.WriteDockerConfig($$"""{"auths":{"{{Registry}}":{} },"credsStore":"store"}""");
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        var step = explanation.Steps.Single(s => s.Location == Path.Combine(_sandbox.Home, ".docker", "config.json"));
        Assert.Equal(CredentialTraceOutcome.NoMatch, step.Outcome);
        Assert.Equal("credsStore: docker-credential-store: credentials not found in native keychain; auths[\"registry.example.com\"] holds no secret", step.Detail);
    }

    [Theory]
    [InlineData("https://registry.example.com/v1/")]
    [InlineData("http://REGISTRY.example.com")]
    [InlineData("registry.example.com/some/path")]
    public async Task Auths_keys_are_compared_by_host(string key)
    {
        _sandbox.WriteDockerConfig(AuthsJson(key, "legacy-key-user", "legacy-key-password"));
        Assert.Equal("legacy-key-password", (await Get())!.Password);
        Assert.Null(await Get("registry.example.com:5000"));
    }

    [Theory]
    [InlineData("https://index.docker.io/v1/")]
    [InlineData("index.docker.io")]
    [InlineData("docker.io")]
    public async Task Docker_hub_keys_answer_for_docker_io(string key)
    {
        _sandbox.WriteDockerConfig(AuthsJson(key, "hubber", "hub-password-7"));
        Assert.Equal("hub-password-7", (await Get("docker.io"))!.Password);
        Assert.Equal("hub-password-7", (await Get("index.docker.io"))!.Password);
    }

    [Fact]
    public async Task Exact_hub_key_wins_over_a_host_match()
    {
        _sandbox.WriteDockerConfig($$"""
            {"auths":{"docker.io":{"auth":"{{CredentialSandbox.Auth("loose", "loose-password")}}"},
                      "https://index.docker.io/v1/":{"auth":"{{CredentialSandbox.Auth("exact", "exact-password")}}"} } }
            """);
        Assert.Equal("exact", (await Get("docker.io"))!.Username);
    }

    [Fact]
    public async Task Identity_and_registry_tokens_are_passed_through()
    {
        _sandbox.WriteDockerConfig($$"""
            {"auths":{"oauth.example.com":{"auth":"{{CredentialSandbox.Auth("alice", "")}}","identitytoken":"refresh-token-8"},
                      "bearer.example.com":{"registrytoken":"bearer-token-8"} } }
            """);
        var oauth = await Get("oauth.example.com");
        Assert.Equal(("alice", "refresh-token-8"), (oauth!.Username, oauth.IdentityToken));
        Assert.Equal("bearer-token-8", (await Get("bearer.example.com"))!.RegistryToken);
    }

    [Fact]
    public async Task Docker_config_variable_directory_comes_before_home_then_root_then_dockercfg()
    {
        var custom = _sandbox.Write("custom/config.json", AuthsJson(Registry, "custom", "custom-password-9"));
        _sandbox.Variables["DOCKER_CONFIG"] = Path.GetDirectoryName(custom)!;
        _sandbox.WriteDockerConfig(AuthsJson(Registry, "home", "home-password-9"));
        _sandbox.RootHome = Path.Combine(_sandbox.Root, "roothome");
        _sandbox.IsRoot = true;
        _sandbox.Write("roothome/.docker/config.json", AuthsJson(Registry, "root", "root-password-9"));
        _sandbox.Write("home/.dockercfg", $$"""{"{{Registry}}":{"auth":"{{CredentialSandbox.Auth("legacy", "legacy-password-9")}}"} }""");

        Assert.Equal("custom", (await Get())!.Username);
        File.Delete(custom);
        Assert.Equal("home", (await Get())!.Username);
        File.Delete(Path.Combine(_sandbox.Home, ".docker", "config.json"));
        Assert.Equal("root", (await Get())!.Username);
        _sandbox.IsRoot = false;
        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Equal("legacy", explanation.Credential!.Username);
        Assert.DoesNotContain(explanation.Steps, s => s.Location?.Contains("roothome") == true);
    }

    [Fact]
    public async Task Podman_auth_file_is_consulted_last()
    {
        var authFile = _sandbox.Write("podman/auth.json", AuthsJson("docker.io", "podman", "podman-password-10"));
        _sandbox.Variables["REGISTRY_AUTH_FILE"] = authFile;
        var explanation = await _sandbox.Chain().ExplainAsync("docker.io", RegistryAccess.Push);
        Assert.Equal("podman", explanation.Credential!.Username);
        Assert.Equal(CredentialSourceKind.Podman, explanation.Steps[^1].Kind);
        Assert.Equal(CredentialTraceOutcome.Answered, explanation.Steps[^1].Outcome);

        _sandbox.Variables["CI_REGISTRY"] = "docker.io";
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-10";
        Assert.Equal("job-token-10", (await Get("docker.io"))!.Password);
    }

    [Fact]
    public async Task Podman_runtime_auth_file_and_its_helpers_get_the_bare_host()
    {
        var stdinFile = Path.Combine(_sandbox.Root, "stdin");
        _sandbox.WriteHelper("podhelper", $"cat > '{stdinFile}'\nprintf '{{\"Username\":\"p\",\"Secret\":\"pod-helper-secret-11\"}}'");
        _sandbox.Variables["XDG_RUNTIME_DIR"] = Path.Combine(_sandbox.Root, "run");
        _sandbox.Write("run/containers/auth.json", """{"credHelpers":{"docker.io":"podhelper"}}""");
        Assert.Equal("pod-helper-secret-11", (await Get("docker.io"))!.Password);
        Assert.Equal("docker.io", File.ReadAllText(stdinFile));
    }

    [Fact]
    public async Task Disabled_steps_are_skipped_and_reported()
    {
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = AuthsJson(Registry, "dac", "dac-password-12");
        _sandbox.WriteDockerConfig(AuthsJson(Registry, "file", "file-password-12"));
        var options = new CredentialChainOptions { Disabled = { CredentialSourceKind.DockerAuthConfig, CredentialSourceKind.DockerConfigFile } };
        var explanation = await _sandbox.Chain(options).ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Null(explanation.Credential);
        Assert.Equal(3, explanation.Steps.Count(s => s.Outcome == CredentialTraceOutcome.Disabled));
    }

    [Fact]
    public async Task Broken_source_stops_the_chain_with_an_error_naming_it()
    {
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = "{\"auths\": {\"registry.example.com\": {\"auth\": \"c2VjcmV0\"}";
        _sandbox.Variables["CI_REGISTRY"] = Registry;
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-13";

        var error = await Assert.ThrowsAsync<SourceException>(() => Get());
        Assert.Equal("DOCKER_AUTH_CONFIG", error.Location.File);
        Assert.Equal(1, error.Location.Line);
        Assert.True(error.Location.Column > 1);

        var explanation = await _sandbox.Chain().ExplainAsync(Registry, RegistryAccess.Push);
        Assert.Equal(error.Message, explanation.Error);
        Assert.Null(explanation.Credential);
        Assert.Equal(CredentialTraceOutcome.Failed, explanation.Steps[2].Outcome);
        Assert.All(explanation.Steps.Skip(3), s => Assert.Equal(CredentialTraceOutcome.NotConsulted, s.Outcome));
    }

    [Fact]
    public async Task Answers_are_cached_so_helpers_run_once_per_registry()
    {
        var counter = Path.Combine(_sandbox.Root, "calls");
        _sandbox.WriteHelper("counting", $"cat >/dev/null\necho x >> '{counter}'\nprintf '{{\"Username\":\"c\",\"Secret\":\"counted-secret-14\"}}'");
        _sandbox.WriteDockerConfig("""{"credsStore":"counting"}""");
        var chain = _sandbox.Chain();
        Assert.Equal("counted-secret-14", (await chain.GetAsync(Registry, RegistryAccess.Push))!.Password);
        Assert.Equal("counted-secret-14", (await chain.GetAsync("https://" + Registry, RegistryAccess.Push))!.Password);
        Assert.Single(File.ReadAllLines(counter));
        await chain.GetAsync("other.example.com", RegistryAccess.Push);
        Assert.Equal(2, File.ReadAllLines(counter).Length);
    }

    [Fact]
    public async Task Every_secret_handed_out_is_registered_with_the_masker()
    {
        var masker = new SecretMasker();
        _sandbox.Variables["CI_REGISTRY"] = Registry;
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-token-15";
        var options = new CredentialChainOptions { Masker = masker, Explicit = [new ExplicitCredential("other.example.com", "u", "explicit-password-15")] };
        await _sandbox.Chain(options).GetAsync(Registry, RegistryAccess.Push);
        Assert.Equal("**** and ****", masker.Mask("job-token-15 and explicit-password-15"));
    }
}
