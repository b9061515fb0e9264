using Dockyard.Credentials;
using Dockyard.Diagnostics;

namespace Dockyard.Tests.Credentials;

/// <summary>Every source holds a distinct secret; no explanation, text, JSON or error message may contain any of them.</summary>
public class NoSecretLeakTests : IDisposable
{
    private static readonly string[] Secrets =
    [
        "explicit-SECRET-a1", "sdk-SECRET-b2", "dac-SECRET-c3", "file-SECRET-d4", "identity-SECRET-e5", "bearer-SECRET-f6",
        "helper-SECRET-g7", "job-SECRET-h8", "registry-user-SECRET-i9", "deploy-SECRET-j10", "proxy-SECRET-k11", "podman-SECRET-l12",
        "token-helper-SECRET-m13",
    ];

    private readonly CredentialSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    private static IEnumerable<string> Forms(string secret) =>
        [secret, CredentialSandbox.Auth("u", secret), CredentialSandbox.Auth("user", secret)];

    private static void AssertClean(string text)
    {
        foreach (var form in Secrets.SelectMany(Forms))
        {
            Assert.DoesNotContain(form, text);
        }
    }

    [Fact]
    public async Task Explanations_never_contain_a_secret()
    {
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "sdk";
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = "sdk-SECRET-b2";
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = $$"""{"auths":{"dac.example":{"auth":"{{CredentialSandbox.Auth("u", "dac-SECRET-c3")}}"} } }""";
        _sandbox.WriteAnsweringHelper("leaktest", "h", "helper-SECRET-g7");
        _sandbox.WriteAnsweringHelper("tokentest", "<token>", "token-helper-SECRET-m13");
        _sandbox.WriteDockerConfig($$"""
            {"auths":{"file.example":{"auth":"{{CredentialSandbox.Auth("user", "file-SECRET-d4")}}"},
                      "oauth.example":{"auth":"{{CredentialSandbox.Auth("u", "")}}","identitytoken":"identity-SECRET-e5"},
                      "bearer.example":{"registrytoken":"bearer-SECRET-f6"} },
             "credHelpers":{"helper.example":"leaktest","tokenhelper.example":"tokentest"} }
            """);
        _sandbox.Variables["CI_REGISTRY"] = "job.example";
        _sandbox.Variables["CI_JOB_TOKEN"] = "job-SECRET-h8";
        _sandbox.Variables["CI_DEPENDENCY_PROXY_SERVER"] = "proxy.example:443";
        _sandbox.Variables["CI_DEPENDENCY_PROXY_USER"] = "proxy";
        _sandbox.Variables["CI_DEPENDENCY_PROXY_PASSWORD"] = "proxy-SECRET-k11";
        _sandbox.Variables["REGISTRY_AUTH_FILE"] = _sandbox.Write("auth.json",
            $$"""{"auths":{"podman.example":{"auth":"{{CredentialSandbox.Auth("u", "podman-SECRET-l12")}}"} } }""");

        var registries = new[]
        {
            "explicit.example", "dac.example", "file.example", "oauth.example", "bearer.example", "helper.example",
            "tokenhelper.example", "job.example", "proxy.example:443", "podman.example", "nothing.example",
        };
        var options = new CredentialChainOptions { Explicit = [new ExplicitCredential("explicit.example", "me", "explicit-SECRET-a1")] };
        var answered = 0;
        foreach (var registry in registries)
        {
            foreach (var access in new[] { RegistryAccess.Push, RegistryAccess.Pull })
            {
                var chain = _sandbox.Chain(new CredentialChainOptions { Explicit = options.Explicit });
                var explanation = await chain.ExplainAsync(registry, access);
                Assert.Null(explanation.Error);
                answered += explanation.Credential is null ? 0 : 1;
                AssertClean(explanation.ToText());
                AssertClean(explanation.ToJson());
                AssertClean(explanation.ToString());
                AssertClean((await chain.GetAsync(registry, access))?.ToString() ?? "");
            }
        }

        // Every registry but "nothing.example" answers on both accesses; the SDK push pair answers it on push.
        Assert.Equal(registries.Length * 2 - 1, answered);
    }

    [Theory]
    [InlineData("{\"auths\":{\"r.example\":{\"auth\":\"file-SECRET-d4\"}}}")]
    [InlineData("{\"auths\":{\"r.example\":{\"auth\":\"ZmlsZS1TRUNSRVQtZDQ=\"}}}")]
    [InlineData("{\"auths\":{\"r.example\":{\"password\":[\"file-SECRET-d4\"]}}}")]
    [InlineData("{\"auths\":{\"r.example\":{\"password\":\"file-SECRET-d4\" x}}}")]
    [InlineData("{\"auths\":{\"r.example\":{\"password\":\"file-SECRET-d4\"}}")]
    [InlineData("file-SECRET-d4")]
    public async Task Errors_about_broken_configs_never_quote_their_content(string json)
    {
        _sandbox.Variables["DOCKER_AUTH_CONFIG"] = json;
        var error = await Assert.ThrowsAnyAsync<DockyardException>(() => _sandbox.Chain().GetAsync("r.example", RegistryAccess.Push).AsTask());
        Assert.Contains("DOCKER_AUTH_CONFIG", error.Message);
        AssertClean(error.Message);
        var explanation = await _sandbox.Chain().ExplainAsync("r.example", RegistryAccess.Push);
        AssertClean(explanation.ToText());
        AssertClean(explanation.ToJson());
    }

    [Fact]
    public async Task Errors_about_broken_helpers_never_quote_their_answer()
    {
        _sandbox.WriteHelper("garbled", "cat >/dev/null\necho '{\"Username\":\"u\",\"Secret\":\"helper-SECRET-g7\"'");
        _sandbox.WriteDockerConfig("""{"credsStore":"garbled"}""");
        var error = await Assert.ThrowsAsync<DockyardException>(() => _sandbox.Chain().GetAsync("r.example", RegistryAccess.Push).AsTask());
        Assert.Contains("docker-credential-garbled", error.Message);
        AssertClean(error.Message);
    }
}
