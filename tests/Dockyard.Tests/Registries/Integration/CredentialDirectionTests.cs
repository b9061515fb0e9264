using Dockyard.Builders.Native;
using Dockyard.Images;
using Dockyard.Layers;
using Dockyard.Tests.Credentials;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary>
/// Credentials by direction against the real registry with token auth: the token server records what each token
/// request carried, so it shows which credential a pull and a push presented.
/// </summary>
public sealed class CredentialDirectionTests : IDisposable
{
    private static readonly Platform Amd64 = new("linux", "amd64");
    private readonly TempDirectory _temp = new("direction");
    private readonly CredentialSandbox _sandbox = new();

    public void Dispose()
    {
        _sandbox.Dispose();
        _temp.Dispose();
    }

    private static List<TokenRequest> Drain(TokenServer tokens)
    {
        var seen = new List<TokenRequest>();
        while (tokens.Requests.TryDequeue(out var request)) seen.Add(request);
        return seen;
    }

    [Fact]
    public async Task With_only_push_variables_a_base_image_pull_is_anonymous_and_a_push_presents_the_credential()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        var repo = TestNames.Repository("base");
        var image = TestImages.Create("pulled anonymously", busybox: false);
        using (var seed = registry.CreateClient()) await image.PushAsync(seed, registry.Reference($"{repo}:1"));
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_UNAME"] = registry.Username!;
        _sandbox.Variables["DOTNET_CONTAINER_PUSH_REGISTRY_PWORD"] = registry.Password!;
        using var client = registry.CreateClient(credentials: _sandbox.Chain());
        Drain(registry.Tokens!);

        var loaded = await new BaseImageLoader(new LayerCache(_temp.Combine("cache")), client)
            .LoadAsync(registry.Reference($"{repo}:1").ToString(), Amd64, "Dockerfile:1");
        var pulls = Drain(registry.Tokens!);
        await image.PushAsync(client, registry.Reference($"{TestNames.Repository("out")}:1"));
        var pushes = Drain(registry.Tokens!);

        Assert.Equal(image.Layers.Count, loaded.Layers.Count);
        Assert.NotEmpty(pulls);
        Assert.All(pulls, r => Assert.Null(r.Account));       // no Basic header, no account: anonymous
        Assert.All(pulls, r => Assert.False(r.Authenticated));
        Assert.All(pulls, r => Assert.All(r.Scopes, s => Assert.EndsWith(":pull", s)));
        Assert.NotEmpty(pushes);
        Assert.All(pushes, r => Assert.True(r.Authenticated));
        Assert.All(pushes, r => Assert.Equal(registry.Username, r.Account));
        Assert.Contains(pushes, r => r.Scopes.Any(s => s.EndsWith(":pull,push", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Pull_variables_answer_the_pull_and_are_not_used_for_a_push()
    {
        await using var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { AnonymousPull = false } });
        var repo = TestNames.Repository("private");
        var image = TestImages.Create("pulled with the pull credential", busybox: false);
        using (var seed = registry.CreateClient()) await image.PushAsync(seed, registry.Reference($"{repo}:1"));
        _sandbox.Variables["DOTNET_CONTAINER_PULL_REGISTRY_UNAME"] = registry.Username!;
        _sandbox.Variables["DOTNET_CONTAINER_PULL_REGISTRY_PWORD"] = registry.Password!;
        using var client = registry.CreateClient(credentials: _sandbox.Chain());
        Drain(registry.Tokens!);

        await new BaseImageLoader(new LayerCache(_temp.Combine("cache")), client).LoadAsync(registry.Reference($"{repo}:1").ToString(), Amd64, "Dockerfile:1");
        var pulls = Drain(registry.Tokens!);
        var error = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() =>
            image.PushAsync(client, registry.Reference($"{TestNames.Repository("out")}:1")));
        var pushes = Drain(registry.Tokens!);

        Assert.All(pulls, r => Assert.True(r.Authenticated));
        Assert.All(pushes, r => Assert.Null(r.Account));
        Assert.Contains("no credential was found for pushing to " + registry.Host, error.Message);
    }
}
