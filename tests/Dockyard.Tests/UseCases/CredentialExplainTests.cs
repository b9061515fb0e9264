using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Registries.Integration;
using Dockyard.UseCases;

namespace Dockyard.Tests.UseCases;

/// <summary>The credential explanation use case and session credentials, called as a front calls them (request in, result out).</summary>
public sealed class CredentialExplainTests(BasicRegistryFixture fixture) : IClassFixture<BasicRegistryFixture>
{
    private static Task<Dockyard.Credentials.Explanation.CredentialExplanation> ExplainAsync(HostContext host, string registry, RegistryAccess access = RegistryAccess.Pull) =>
        CredentialExplain.RunAsync(host, new CredentialExplainRequest { Registry = registry, Access = access }, CancellationToken.None);

    [Fact]
    public async Task The_docker_config_of_the_host_answers_and_no_secret_is_in_the_result()
    {
        using var test = new TestHost();
        test.WriteDockerLogin("explain-one.example:5000", "config-user", "config-password-e1");
        var explanation = await ExplainAsync(test.Context, "EXPLAIN-ONE.example:5000");
        Assert.Null(explanation.Error);
        Assert.Equal("explain-one.example:5000", explanation.Registry);
        Assert.Equal("config-user", explanation.Credential!.Username);
        Assert.Equal(CredentialSourceKind.DockerConfigFile, explanation.Steps.Single(s => s.Outcome == Dockyard.Credentials.Explanation.CredentialTraceOutcome.Answered).Kind);
        Assert.DoesNotContain("config-password-e1", explanation.ToJson() + explanation.ToText());
    }

    [Fact]
    public async Task Session_credentials_answer_first_and_the_host_masker_learns_the_password()
    {
        using var test = new TestHost();
        test.WriteDockerLogin("explain-two.example", "config-user", "config-password-e2");
        test.Context.Credentials.Add(new ExplicitCredential("explain-two.example", "session-user", "session-password-e2"));
        var explanation = await ExplainAsync(test.Context, "explain-two.example");
        Assert.Equal("session-user", explanation.Credential!.Username);
        Assert.Equal(CredentialSourceKind.Explicit, explanation.Steps[0].Kind);
        Assert.DoesNotContain("session-password-e2", test.Context.Masker.Mask("xx session-password-e2 xx"));
    }

    [Fact]
    public async Task The_latest_session_login_for_a_registry_replaces_the_older_one()
    {
        var credentials = new SessionCredentials();
        credentials.Add(new ExplicitCredential("Explain-Three.example", "old", "p1"));
        credentials.Add(new ExplicitCredential("other.example", "other", "p2"));
        credentials.Add(new ExplicitCredential("explain-three.example", "new", "p3"));
        Assert.Equal(["new", "other"], credentials.All.Select(c => c.Username));
        using var test = new TestHost();
        var explanation = await ExplainAsync(test.Context.WithCredentials(credentials), "explain-three.example");
        Assert.Equal("new", explanation.Credential!.Username);
    }

    [Fact]
    public async Task A_push_credential_of_the_SDK_variables_does_not_answer_a_pull()
    {
        using var test = new TestHost(new Dictionary<string, string>
        {
            ["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = "push-user",
            ["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = "push-password-e4",
        });
        var pull = await ExplainAsync(test.Context, "explain-four.example");
        var push = await ExplainAsync(test.Context, "explain-four.example", RegistryAccess.Push);
        Assert.Null(pull.Credential);
        Assert.Equal(RegistryAccess.Pull, pull.Access);
        Assert.Equal("push-user", push.Credential!.Username);
    }

    [Fact]
    public async Task A_broken_docker_config_is_reported_in_the_result_with_its_location_not_thrown()
    {
        using var test = new TestHost();
        var directory = test.Combine("broken-config");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), "{\n  \"auths\": {\n");
        // The request's directory is relative to the host's working directory, as every path of a request is.
        var explanation = await CredentialExplain.RunAsync(test.Context, new CredentialExplainRequest
        {
            Registry = "explain-five.example", DockerConfigDirectory = "broken-config", Disabled = new HashSet<CredentialSourceKind> { CredentialSourceKind.SdkEnvironment },
        }, CancellationToken.None);
        Assert.Matches(System.Text.RegularExpressions.Regex.Escape(Path.Combine(directory, "config.json")) + @":\d+:\d+: ", explanation.Error);
        Assert.Null(explanation.Credential);
    }

    [Fact]
    public async Task A_helper_timeout_out_of_range_is_a_user_error()
    {
        using var test = new TestHost();
        var error = await Assert.ThrowsAsync<DockyardException>(() => CredentialExplain.RunAsync(test.Context,
            new CredentialExplainRequest { Registry = "explain-six.example", HelperTimeout = TimeSpan.Zero }, CancellationToken.None));
        Assert.Contains("greater than 0", error.Message);
    }

    [Fact]
    public async Task Session_credentials_reach_a_copy_to_an_htpasswd_registry_and_stay_out_of_the_log()
    {
        using var test = new TestHost();
        var layout = test.Combine("layout");
        TestImages.WriteOciLayout(TestImages.Create("session credentials"), layout, "1");
        var registry = fixture.Server;
        var request = new ImageCopyRequest
        {
            Source = $"oci:{layout}:1", Destination = $"{registry.Host}/session/app:1",
            Connection = new Dockyard.Images.Locations.RegistryConnection { InsecureRegistries = [registry.Host] },
        };

        await Assert.ThrowsAnyAsync<DockyardException>(() => ImageCopy.RunAsync(test.Context, request, CancellationToken.None));

        test.Context.Credentials.Add(new ExplicitCredential(registry.Host, registry.Options.Username, registry.Options.Password));
        var copied = await ImageCopy.RunAsync(test.Context, request, CancellationToken.None);
        Assert.StartsWith("sha256:", copied.Digest);
        Assert.True(copied.BlobsUploaded > 0);
        Assert.DoesNotContain(test.LoggedText, line => line.Contains(registry.Options.Password, StringComparison.Ordinal));
    }
}
