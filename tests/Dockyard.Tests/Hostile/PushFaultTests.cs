using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Dockyard.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// Faults at each step of a multi-layer push (real CLI <c>dockyard image copy oci:… REGISTRY/…</c> through the
/// <see cref="FaultInjectingProxy"/> in front of the real registry): connection resets, 5xx, 429 and truncated bodies
/// that outlast the retries. After each failed run the registry holds the complete image under its tag or no tag at
/// all (never a manifest whose blobs are missing), and the re-run uploads only the blobs that are missing.
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

    private async Task<bool> ExistsAsync(RegistryServer registry, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.Url, path));
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        using var response = await _http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Complete under <paramref name="tag"/> (manifest and every blob) or no tag at all; returns the blobs present.</summary>
    private async Task<List<string>> AssertCompleteOrAbsentAsync(RegistryServer registry, string repo, string tag, List<string> blobs)
    {
        var present = new List<string>();
        foreach (var blob in blobs)
            if (await ExistsAsync(registry, $"v2/{repo}/blobs/{blob}")) present.Add(blob);
        if (await ExistsAsync(registry, $"v2/{repo}/manifests/{tag}"))
            Assert.True(present.Count == blobs.Count, $"{repo}:{tag} exists but only {present.Count} of its {blobs.Count} blobs do");
        return present;
    }

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
        Assert.Equal(blobs.Count, (await AssertCompleteOrAbsentAsync(registry, repo, "1", blobs)).Count);
        Assert.True(await ExistsAsync(registry, $"v2/{repo}/manifests/1"), "the re-run left no tag");
        var uploaded = proxy.Requests.Count(r => r.Method == "PUT" && r.PathAndQuery.Contains("/blobs/uploads/", StringComparison.Ordinal) && r.PathAndQuery.Contains("digest=", StringComparison.Ordinal));
        Assert.Equal(blobs.Count - present.Count, uploaded);
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
