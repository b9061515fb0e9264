using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dockyard.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// Faults at each step of a multi-layer push (real CLI <c>dockyard image copy oci:… REGISTRY/…</c> through the
/// <see cref="FaultInjectingProxy"/> in front of the real registry): connection resets, 5xx, 429 and truncated bodies
/// that outlast the retries. After each failed run the registry holds the complete image under its tag or no tag at
/// all (never a manifest whose blobs are missing), and the re-run uploads only the blobs that are missing. The same
/// holds when the process is killed (SIGKILL) with an upload in flight. Against a token registry (the real
/// <c>docker-registry</c> with <see cref="TokenServer"/>), a token that expires or is refused mid-push is replaced once
/// and the push completes; a registry that keeps refusing ends in one clear error.
/// </summary>
public sealed class PushFaultTests : IDisposable
{
    private readonly HostileCli _cli = new() { Watchdog = TimeSpan.FromMinutes(3) };
    private readonly TempDirectory _input = new("hostile-push");
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _cli.Dispose();
        _input.Dispose();
        _http.Dispose();
    }

    /// <summary>Builds a FROM scratch image with three layers of random bytes into an OCI layout; returns its blob digests.</summary>
    private async Task<(string Layout, List<string> Blobs)> ImageAsync()
    {
        var dockerfile = "FROM scratch\n";
        for (var i = 0; i < 3; i++)
        {
            File.WriteAllBytes(_input.Combine($"l{i}.bin"), RandomNumberGenerator.GetBytes(150_000));
            dockerfile += $"COPY l{i}.bin /\n";
        }
        _input.WriteFile("Dockerfile", dockerfile);
        var layout = _input.Combine("layout");
        var built = await _cli.RunAsync(["build", _input.Path, "--output", $"type=oci,dest={layout}"]);
        Assert.True(built.ExitCode == 0, built.ToString());
        var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json"))).RootElement;
        var manifestDigest = index.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", manifestDigest[7..]))).RootElement;
        var blobs = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)
            .Append(manifest.GetProperty("config").GetProperty("digest").GetString()!).ToList();
        Assert.Equal(4, blobs.Count);
        return (layout, blobs);
    }

    private async Task<bool> ExistsAsync(RegistryServer registry, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.Url, path));
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        using var response = await _http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>A pull token for <paramref name="repo"/> straight from the registry's token server (token mode), else null.</summary>
    private async Task<string?> PullTokenAsync(RegistryServer registry, string repo)
    {
        if (registry.Tokens is not { } tokens) return null;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{tokens.Realm}?service={registry.Options.Token.Service}&scope=repository:{repo}:pull");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")));
        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString();
    }

    /// <summary>Complete under <paramref name="tag"/> (manifest and every blob) or no tag at all; returns the blobs present.</summary>
    private async Task<List<string>> AssertCompleteOrAbsentAsync(RegistryServer registry, string repo, string tag, List<string> blobs)
    {
        var token = await PullTokenAsync(registry, repo);
        var present = new List<string>();
        foreach (var blob in blobs)
            if (await ExistsAsync(registry, $"v2/{repo}/blobs/{blob}", token)) present.Add(blob);
        if (await ExistsAsync(registry, $"v2/{repo}/manifests/{tag}", token))
            Assert.True(present.Count == blobs.Count, $"{repo}:{tag} exists but only {present.Count} of its {blobs.Count} blobs do");
        return present;
    }

    private async Task AssertCompleteAsync(RegistryServer registry, string repo, string tag, List<string> blobs)
    {
        Assert.Equal(blobs.Count, (await AssertCompleteOrAbsentAsync(registry, repo, tag, blobs)).Count);
        Assert.True(await ExistsAsync(registry, $"v2/{repo}/manifests/{tag}", await PullTokenAsync(registry, repo)), $"{repo}:{tag} is not in the registry");
    }

    /// <summary>Blob uploads completed through the proxy: the PUTs that carry <c>digest=</c>.</summary>
    private static int UploadsThrough(FaultInjectingProxy proxy) =>
        proxy.Requests.Count(r => r.Method == "PUT" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.PathAndQuery.Contains("digest=", StringComparison.Ordinal));

    /// <summary>Lets the CLI push to <paramref name="proxy"/> with the token registry's user (through DOCKER_AUTH_CONFIG, never a command line).</summary>
    private void LogIn(RegistryServer registry, FaultInjectingProxy proxy) =>
        _cli.Environment["DOCKER_AUTH_CONFIG"] = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [proxy.Host] = new { auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{registry.Username}:{registry.Password}")) } },
        });

    /// <summary>A token registry behind a proxy applying <paramref name="rule"/>; the CLI is logged in to the proxy.</summary>
    private async Task<ProxiedTokenRegistry> TokenRegistryAsync(Func<RegistryServer, HttpRequest, Fault?> rule, TimeSpan? tokenLifetime = null)
    {
        var registry = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token, Token = new() { TokenLifetime = tokenLifetime ?? TimeSpan.FromMinutes(5) } });
        var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) => rule(registry, request));
        LogIn(registry, proxy);
        return new ProxiedTokenRegistry(registry, proxy);
    }

    private sealed record ProxiedTokenRegistry(RegistryServer Registry, FaultInjectingProxy Proxy) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Proxy.DisposeAsync();
            await Registry.DisposeAsync();
        }
    }

    /// <summary>What the registry's token challenge says, with <c>error="invalid_token"</c>: a token it no longer accepts.</summary>
    private static string InvalidToken(RegistryServer registry, string repo) =>
        $"Bearer realm=\"{registry.Tokens!.Realm}\",service=\"{registry.Options.Token.Service}\",scope=\"repository:{repo}:pull,push\",error=\"invalid_token\"";

    private static bool IsUpload(HttpRequest r, string method) => r.Method == method && r.Path.Value!.Contains("/blobs/uploads/", StringComparison.Ordinal);

    // Every step of a push, each with the faults that can hit it; the fault lets the first request of its step through
    // (so one blob is already pushed when the run fails) and then hits every later request of that step.
    public static TheoryData<string, string> Faults() => new()
    {
        { "HEAD blob", "reset" }, { "HEAD blob", "500" }, { "HEAD blob", "429" },
        { "POST upload", "reset" }, { "POST upload", "503" }, { "POST upload", "429" },
        { "PUT upload", "reset" }, { "PUT upload", "500" }, { "PUT upload", "429" }, { "PUT upload", "truncated" },
        { "PUT manifest", "reset" }, { "PUT manifest", "500" }, { "PUT manifest", "429" }, { "PUT manifest", "truncated" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_fault_at_a_step_leaves_the_complete_image_or_no_tag_and_the_rerun_uploads_only_what_is_missing(string step, string fault)
    {
        var (layout, blobs) = await ImageAsync();
        await using var registry = await RegistryServer.StartAsync();
        var faulty = true;
        var passed = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
        {
            if (!Volatile.Read(ref faulty)) return null;
            var matches = step switch
            {
                "HEAD blob" => request.Method == "HEAD" && request.Path.Value!.Contains("/blobs/sha256:", StringComparison.Ordinal),
                "POST upload" => IsUpload(request, "POST"),
                "PUT upload" => IsUpload(request, "PUT") || IsUpload(request, "PATCH"),
                _ => request.Method == "PUT" && request.Path.Value!.Contains("/manifests/", StringComparison.Ordinal),
            };
            if (!matches || (step != "PUT manifest" && Interlocked.Increment(ref passed) == 1)) return null;
            return fault switch
            {
                "reset" => new Fault.Reset(),
                "429" => new Fault.Status(429, "1"),
                "truncated" => new Fault.DropAfter(Math.Max(0, (request.ContentLength ?? 2) / 2)),
                _ => new Fault.Status(int.Parse(fault, System.Globalization.CultureInfo.InvariantCulture)),
            };
        });
        var repo = TestNames.Repository("fault");
        var destination = $"{proxy.Host}/{repo}:1";

        var first = await _cli.RunAsync(["image", "copy", "-q", "--parallel", "1", $"oci:{layout}", destination]);

        Assert.True(first.ExitCode == 1, $"the fault did not fail the push\n{first}");
        Assert.Matches(@"(?m)^error DY\d{4}: ", first.StandardError);
        Assert.DoesNotContain("   at ", first.StandardError);
        Assert.DoesNotContain("Exception", first.StandardError);
        var present = await AssertCompleteOrAbsentAsync(registry, repo, "1", blobs);

        Volatile.Write(ref faulty, false);
        proxy.Requests.Clear();
        var second = await _cli.RunAsync(["image", "copy", "-q", "--parallel", "1", $"oci:{layout}", destination]);

        Assert.True(second.ExitCode == 0, second.ToString());
        await AssertCompleteAsync(registry, repo, "1", blobs);
        Assert.Equal(blobs.Count - present.Count, UploadsThrough(proxy));
    }

    [Fact]
    public async Task A_token_that_expires_in_the_middle_of_a_push_is_replaced_and_the_push_completes()
    {
        var (layout, blobs) = await ImageAsync();
        var uploadsStarted = 0;
        // Tokens really live 3 s but come without expires_in (like GitLab's), so the client takes them for 60 s;
        // the second blob's upload waits on the way until the token it carries has expired.
        await using var target = await TokenRegistryAsync((_, request) =>
            IsUpload(request, "POST") && request.Headers.Authorization.Count > 0 && Interlocked.Increment(ref uploadsStarted) == 2
                ? new Fault.Delay(TimeSpan.FromSeconds(4.5)) : null, tokenLifetime: TimeSpan.FromSeconds(3));
        var (registry, proxy) = target;
        var repo = TestNames.Repository("expiry");

        var run = await _cli.RunAsync(["image", "copy", "--parallel", "1", $"oci:{layout}", $"{proxy.Host}/{repo}:1"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("registry rejected the token (invalid_token); fetched a new one", run.StandardError);
        await AssertCompleteAsync(registry, repo, "1", blobs);
        HostileCli.AssertNoSecret(run, [registry.Password!, .. registry.Tokens!.Tokens]);
    }

    [Fact]
    public async Task A_token_rejected_in_the_middle_of_a_push_is_replaced_once_and_the_push_completes()
    {
        var (layout, blobs) = await ImageAsync();
        var repo = TestNames.Repository("rejected");
        var heads = 0;
        var tokensBeforeRejection = -1;
        await using var target = await TokenRegistryAsync((registry, request) =>
        {
            // the registry refuses the (still valid) token once, at the third blob check
            if (request.Method != "HEAD" || !request.Path.Value!.Contains("/blobs/", StringComparison.Ordinal) || Interlocked.Increment(ref heads) != 3) return null;
            tokensBeforeRejection = registry.Tokens!.TokensIssued;
            return new Fault.Challenge(InvalidToken(registry, repo));
        });
        var (registry, proxy) = target;

        var run = await _cli.RunAsync(["image", "copy", "--parallel", "1", $"oci:{layout}", $"{proxy.Host}/{repo}:1"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(tokensBeforeRejection > 0, "the rejection was never injected");
        Assert.Equal(tokensBeforeRejection + 1, registry.Tokens!.TokensIssued);
        Assert.Single(run.StandardError.Split('\n'), l => l.Contains("fetched a new one", StringComparison.Ordinal));
        var checks = proxy.Requests.Where(r => r.Method == "HEAD" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(checks[2].PathAndQuery, checks[3].PathAndQuery);
        Assert.NotEqual(checks[2].Authorization, checks[3].Authorization);
        await AssertCompleteAsync(registry, repo, "1", blobs);
    }

    [Fact]
    public async Task A_registry_that_keeps_refusing_the_token_ends_in_one_clear_error()
    {
        var (layout, blobs) = await ImageAsync();
        var repo = TestNames.Repository("refusing");
        var uploads = 0;
        var tokensBeforeRefusal = -1;
        await using var target = await TokenRegistryAsync((registry, request) =>
        {
            // from the second blob upload on, every token is refused
            if (IsUpload(request, "POST") && Interlocked.Increment(ref uploads) == 2) tokensBeforeRefusal = registry.Tokens!.TokensIssued;
            return Volatile.Read(ref uploads) >= 2 && request.Headers.Authorization.Count > 0 ? new Fault.Challenge(InvalidToken(registry, repo)) : null;
        });
        var (registry, proxy) = target;

        var run = await _cli.RunAsync(["image", "copy", "-q", "--parallel", "1", $"oci:{layout}", $"{proxy.Host}/{repo}:1"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = Assert.Single(run.StandardError.Split('\n'), l => l.Contains("error", StringComparison.OrdinalIgnoreCase));
        Assert.Matches(@"^error DY\d{4}: ", error);
        Assert.Contains($"registry {proxy.Host} answered HTTP 401", error);
        Assert.Contains($"dockyard auth explain {proxy.Host} --push", error);
        Assert.DoesNotContain("   at ", run.StandardError);
        Assert.DoesNotContain("Exception", run.StandardError);
        Assert.Equal(tokensBeforeRefusal + 1, registry.Tokens!.TokensIssued); // one new token tried, no loop
        HostileCli.AssertNoSecret(run, [registry.Password!, .. registry.Tokens.Tokens]);
        Assert.False(await ExistsAsync(registry, $"v2/{repo}/manifests/1", await PullTokenAsync(registry, repo)));
        await AssertCompleteOrAbsentAsync(registry, repo, "1", blobs);
    }

    [Fact]
    public async Task A_push_killed_in_the_middle_of_an_upload_leaves_no_tag_and_the_rerun_uploads_only_what_is_missing()
    {
        var (layout, blobs) = await ImageAsync();
        await using var registry = await RegistryServer.StartAsync();
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stalling = true;
        var uploads = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
        {
            // the second blob's bytes are held on their way: the upload is in flight when the CLI is killed
            if (!Volatile.Read(ref stalling) || !(IsUpload(request, "PUT") || IsUpload(request, "PATCH")) || Interlocked.Increment(ref uploads) != 2) return null;
            inFlight.TrySetResult();
            return new Fault.Stall(release.Task);
        });
        var repo = TestNames.Repository("killed");
        var destination = $"{proxy.Host}/{repo}:1";
        using var kill = new CancellationTokenSource();

        var running = _cli.RunAsync(["image", "copy", "-q", "--parallel", "1", $"oci:{layout}", destination], kill: kill.Token);
        await Task.WhenAny(inFlight.Task, running).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(inFlight.Task.IsCompleted, $"the push ended before its second upload\n{(running.IsCompleted ? await running : "")}");
        await kill.CancelAsync();
        var killed = await running;
        release.SetResult();

        Assert.Equal(137, killed.ExitCode); // 128 + SIGKILL
        var present = await AssertCompleteOrAbsentAsync(registry, repo, "1", blobs);
        Assert.False(await ExistsAsync(registry, $"v2/{repo}/manifests/1"), "a tag exists after the push was killed");
        Assert.InRange(present.Count, 1, blobs.Count - 1);

        Volatile.Write(ref stalling, false);
        proxy.Requests.Clear();
        var rerun = await _cli.RunAsync(["image", "copy", "-q", "--parallel", "1", $"oci:{layout}", destination]);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        await AssertCompleteAsync(registry, repo, "1", blobs);
        Assert.Equal(blobs.Count - present.Count, UploadsThrough(proxy));
        Assert.Contains($"blobs: {blobs.Count - present.Count} uploaded", rerun.StandardOutput);
        Assert.Contains($"{present.Count} already present", rerun.StandardOutput);
    }

    [Fact]
    public async Task With_several_tags_each_tags_outcome_is_reported()
    {
        var (layout, _) = await ImageAsync();
        await using var registry = await RegistryServer.StartAsync();
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            request.Method == "PUT" && request.Path.Value!.EndsWith("/manifests/2", StringComparison.Ordinal) ? new Fault.Status(500) : null);
        var repo = TestNames.Repository("tags");

        var run = await _cli.RunAsync(["image", "copy", "-q", $"oci:{layout}", $"{proxy.Host}/{repo}:1", "-t", "2", "-t", "3"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = run.StandardError.Split('\n').Single(l => l.StartsWith("error DY", StringComparison.Ordinal));
        Assert.Contains($"Tags: pushed {proxy.Host}/{repo}:1; not pushed {proxy.Host}/{repo}:2, {proxy.Host}/{repo}:3.", error);
        Assert.Contains("HTTP 500", error);
        Assert.True(await ExistsAsync(registry, $"v2/{repo}/manifests/1"));
        Assert.False(await ExistsAsync(registry, $"v2/{repo}/manifests/2"));
    }

    [Fact]
    public async Task With_a_second_repository_failing_the_first_one_is_reported_as_pushed()
    {
        await ImageAsync();
        await using var registry = await RegistryServer.StartAsync();
        var other = TestNames.Repository("second");
        await using var proxy = await FaultInjectingProxy.StartAsync(registry, (request, _) =>
            request.Method == "POST" && request.Path.Value!.Contains($"/{other}/", StringComparison.Ordinal) ? new Fault.Status(500) : null);
        var repo = TestNames.Repository("first");

        var run = await _cli.RunAsync(["build", _input.Path, "--push", "-t", $"{proxy.Host}/{repo}:1", "-t", $"{proxy.Host}/{other}:1"]);

        Assert.True(run.ExitCode == 1, run.ToString());
        var error = run.StandardError.Split('\n').Single(l => l.StartsWith("error DY", StringComparison.Ordinal));
        Assert.True(error.Contains($"Already pushed: {proxy.Host}/{repo}:1.", StringComparison.Ordinal), error);
        Assert.True(await ExistsAsync(registry, $"v2/{repo}/manifests/1"));
        Assert.False(await ExistsAsync(registry, $"v2/{other}/manifests/1"));
    }
}
