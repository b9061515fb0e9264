using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Registries;
using Dockyard.Registries.Transfer;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>Bearer-token behaviour against the real registry with <c>auth: token</c> and the GitLab-like token server.</summary>
public sealed class TokenAuthTests
{

    [Fact]
    public async Task Token_get_sends_basic_credentials_and_account_and_tokens_are_reused_per_scope_set()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        using var client = registry.CreateClient(new RegistryClientOptions { MaxParallelTransfers = 1 });
        var repo = TestNames.Repository("cache");
        await TestImages.Create("one", busybox: false).PushAsync(client, registry.Reference($"{repo}:1"));
        var afterFirst = registry.Tokens!.TokensIssued;
        await TestImages.Create("two", busybox: false).PushAsync(client, registry.Reference($"{repo}:2"));

        Assert.Equal(afterFirst, registry.Tokens.TokensIssued);
        var requests = registry.Tokens.Requests.ToList();
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        Assert.All(requests, r => Assert.True(r.Authenticated));
        Assert.All(requests, r => Assert.Equal(registry.Username, r.Account));
        Assert.Contains(requests, r => r.Scopes.Contains($"repository:{repo}:pull,push"));
    }

    [Fact]
    public async Task Expired_token_without_expires_in_is_replaced_after_a_401_in_the_middle_of_a_push()
    {
        // Tokens really live 3 s, but like GitLab's they come without expires_in, so the client assumes 60 s.
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { TokenLifetime = TimeSpan.FromSeconds(3) } });
        var events = new List<TransferProgress>();
        var waited = false;
        var progress = new SynchronousProgress<TransferProgress>(e =>
        {
            lock (events) events.Add(e);
            if (e.Kind == TransferEventKind.BlobCompleted && !waited)
            {
                waited = true;
                Thread.Sleep(TimeSpan.FromSeconds(4.5)); // let the token expire between two blobs of one push
            }
        });
        using var client = registry.CreateClient(new RegistryClientOptions { MaxParallelTransfers = 1, Progress = progress });
        var image = TestImages.Create("long push", busybox: false);
        var repo = TestNames.Repository("expiry");

        await image.PushAsync(client, registry.Reference($"{repo}:1"));

        Assert.True(waited);
        Assert.Contains(events, e => e.Kind == TransferEventKind.Reauthenticated);
        Assert.True(registry.Tokens!.TokensIssued >= 2);
        Assert.Equal(image.Manifest.Bytes, await Skopeo.RawManifestAsync(registry, $"{repo}:1"));
    }

    [Fact]
    public async Task Mount_asks_for_pull_on_the_source_and_falls_back_to_upload_when_the_token_lacks_it()
    {
        var locked = TestNames.Repository("locked");
        await using var registry = await RegistryServer.StartAsync(new()
        {
            Auth = RegistryAuth.Token,
            // Like a job token for a project not on the allowlist: the source scope is dropped silently from mount requests.
            Token = new() { DropScope = (all, scope) => all.Select(s => s.Split(':')[1]).Distinct().Count() > 1 && scope == $"repository:{locked}:pull" },
        });
        using var client = registry.CreateClient();
        var image = TestImages.Create("mount fallback", busybox: false);
        await image.PushAsync(client, registry.Reference($"{locked}:1"));
        var open = TestNames.Repository("open");
        await image.PushAsync(client, registry.Reference($"{open}:1"));

        var fallback = await new ImageCopier(client).CopyAsync(registry.Reference($"{locked}:1"), registry.Reference($"{TestNames.Repository("dst")}:1"));
        var mounted = await new ImageCopier(client).CopyAsync(registry.Reference($"{open}:1"), registry.Reference($"{TestNames.Repository("dst")}:1"));

        Assert.Equal(image.Blobs.Count, fallback.BlobsUploaded);
        Assert.Equal(0, fallback.BlobsMounted);
        Assert.Equal(image.Blobs.Count, mounted.BlobsMounted);
        Assert.Contains(registry.Tokens!.Requests, r => r.Scopes.Contains($"repository:{open}:pull") && r.Scopes.Count == 2);
    }

    [Fact]
    public async Task Anonymous_pull_gets_an_anonymous_token_and_anonymous_push_is_refused_clearly()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        var image = TestImages.Create("public", busybox: false);
        var repo = TestNames.Repository("public");
        using (var client = registry.CreateClient()) await image.PushAsync(client, registry.Reference($"{repo}:1"));

        using var anonymous = registry.CreateClient(credentials: new ExplicitCredentialProvider());
        Assert.Equal(image.Manifest.Digest, (await anonymous.GetManifestAsync(registry.Reference($"{repo}:1"))).Digest);
        Assert.Contains(registry.Tokens!.Requests, r => !r.Authenticated && r.Status == 200);

        var error = await Assert.ThrowsAsync<DockyardException>(() => image.PushAsync(anonymous, registry.Reference($"{repo}:2")));
        Assert.Contains(registry.Host, error.Message);
        Assert.Contains("401", error.Message);
        Assert.Contains("no credential was found", error.Message);
    }

    [Fact]
    public async Task Wrong_password_names_the_token_service_registry_and_credential_source_but_not_the_password()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        const string wrong = "definitely-wrong-password-42";
        using var client = registry.CreateClient(credentials: new ExplicitCredentialProvider().Add(registry.Host, "ci-user", wrong, "CI_REGISTRY_PASSWORD"));

        var error = await Assert.ThrowsAsync<DockyardException>(() => client.GetManifestAsync(registry.Reference("any:1")));

        Assert.Contains(registry.Tokens!.Realm, error.Message);
        Assert.Contains(registry.Host, error.Message);
        Assert.Contains("CI_REGISTRY_PASSWORD", error.Message);
        Assert.Contains("UNAUTHORIZED", error.Message);
        Assert.DoesNotContain(wrong, error.Message);
    }

    [Fact]
    public async Task Identity_token_uses_oauth2_post_and_falls_back_to_get_when_post_is_404()
    {
        const string refresh = "refresh-token-for-tests-1234";
        await using var oauth = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { AcceptOAuthPost = true, RefreshToken = refresh } });
        await using var gitlabLike = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { AcceptOAuthPost = false, RefreshToken = refresh } });
        foreach (var registry in new[] { oauth, gitlabLike })
        {
            var credential = new StaticCredentialProvider(new RegistryCredential(registry.Username, null, refresh, null, "identitytoken in config.json"));
            using var client = registry.CreateClient(credentials: credential);
            var repo = TestNames.Repository("oauth");
            await TestImages.Create("oauth", busybox: false).PushAsync(client, registry.Reference($"{repo}:1"));
        }
        Assert.All(oauth.Tokens!.Requests, r => Assert.Equal("POST", r.Method));
        Assert.Contains(gitlabLike.Tokens!.Requests, r => r is { Method: "POST", Status: 404 });
        Assert.Contains(gitlabLike.Tokens.Requests, r => r is { Method: "GET", Status: 200, Authenticated: true });
    }

    [Fact]
    public async Task Registry_token_is_sent_as_is_without_asking_the_token_service()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        var repo = TestNames.Repository("regtoken");
        var image = TestImages.Create("registry token", busybox: false);
        using (var client = registry.CreateClient()) await image.PushAsync(client, registry.Reference($"{repo}:1"));
        var token = registry.Tokens!.Tokens.Last();
        var before = registry.Tokens.TokensIssued;

        using var direct = registry.CreateClient(credentials: new StaticCredentialProvider(new RegistryCredential(null, null, null, token, "registrytoken")));
        Assert.Equal(image.Manifest.Digest, (await direct.GetManifestAsync(registry.Reference($"{repo}:1"))).Digest);
        Assert.Equal(before, registry.Tokens.TokensIssued);
    }

}
