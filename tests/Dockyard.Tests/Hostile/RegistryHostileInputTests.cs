using System.Text;
using Dockyard.Registries.Transport;
using Microsoft.AspNetCore.Http;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// Hostile registries and careless input through the real CLI process: every case ends with a clear one-line error
/// (or a clean answer), within a safety bound, without printing a secret or writing anything.
/// </summary>
public sealed class RegistryHostileInputTests : IDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly HostileCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private static async Task PingOr(HttpContext context, Func<Task> rest)
    {
        if (context.Request.Path == "/v2/") { context.Response.StatusCode = 200; await context.Response.WriteAsync("{}"); return; }
        await rest();
    }

    [Fact]
    public async Task User_info_in_a_registry_name_is_never_printed()
    {
        var run = await _cli.RunAsync(["auth", "explain", "https://someone:planted-pass-9f3@registry.example.com/"]);

        HostileCli.AssertNoSecret(run, ["planted-pass-9f3", "someone:"]);
        Assert.Contains("registry.example.com", run.StandardOutput + run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    [Fact]
    public async Task User_info_in_an_image_reference_is_refused_without_echoing_it()
    {
        var run = await _cli.RunAsync(["image", "inspect", "someone:planted-pass-9f3@127.0.0.1:5000/app:1"]);

        HostileCli.AssertRefused(run, "user info", ["planted-pass-9f3"]);
    }

    [Theory]
    [InlineData("127.0.0.1:99999/x", "port 99999")]
    [InlineData("127.0.0.1:0/x", "port 0")]
    [InlineData("127.0.0.1:99999999999999999999/x", "1 to 65535")]
    public async Task A_port_out_of_range_is_a_clear_error(string reference, string expected)
    {
        var run = await _cli.RunAsync(["image", "inspect", reference]);

        HostileCli.AssertRefused(run, expected);
    }

    [Theory]
    [InlineData("--parallel", "0", "--parallel")]
    [InlineData("--parallel", "-3", "--parallel")]
    [InlineData("--parallel", "100000", "--parallel")]
    [InlineData("--chunk-size", "0", "--chunk-size")]
    [InlineData("--chunk-size", "-1", "--chunk-size")]
    [InlineData("--chunk-size", "9223372036854775807", "--chunk-size")]
    public async Task Transfer_settings_out_of_range_are_refused_before_any_connection(string option, string value, string expected)
    {
        var run = await _cli.RunAsync(["image", "copy", "127.0.0.1:1/a:1", "127.0.0.1:1/b:1", option, value]);

        HostileCli.AssertRefused(run, expected);
    }

    [Fact]
    public async Task An_endless_manifest_is_refused_at_the_limit()
    {
        await using var registry = await HostileRegistry.StartAsync((r, c) => PingOr(c, () => r.EndlessAsync(c, 200, ManifestType)));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/endless:1"]);

        HostileCli.AssertRefused(run, "limit of 4 MiB");
        Assert.Single(registry.Requests, q => q.Contains("/manifests/"));
    }

    [Fact]
    public async Task A_manifest_announcing_3_GB_is_refused_without_reading_it()
    {
        await using var registry = await HostileRegistry.StartAsync((r, c) => PingOr(c, () => r.EndlessAsync(c, 200, ManifestType, 3L * 1024 * 1024 * 1024)));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/huge:1"]);

        HostileCli.AssertRefused(run, "announced 3221225472 bytes");
    }

    [Fact]
    public async Task An_endless_error_body_is_cut_and_the_status_reported()
    {
        await using var registry = await HostileRegistry.StartAsync((r, c) => PingOr(c, () => r.EndlessAsync(c, 404, "application/json")));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/gone:1"]);

        HostileCli.AssertRefused(run, "not found");
    }

    private static Task BearerChallenge(HostileRegistry registry, HttpContext context, Func<Task> token)
    {
        if (context.Request.Path == "/token") return token();
        if (context.Request.Headers.Authorization.Count == 0)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"http://{registry.Host}/token\",service=\"hostile\"";
            return Task.CompletedTask;
        }
        context.Response.StatusCode = 404;
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_endless_token_body_is_refused_at_the_limit()
    {
        await using var registry = await HostileRegistry.StartAsync((r, c) => BearerChallenge(r, c, () => r.EndlessAsync(c, 200, "application/json")));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/app:1"]);

        HostileCli.AssertRefused(run, "limit of 1 MiB");
    }

    [Fact]
    public async Task A_token_with_a_line_break_is_refused_and_never_sent()
    {
        const string planted = "planted-token-77\r\nX-Injected: yes";
        await using var registry = await HostileRegistry.StartAsync((r, c) => BearerChallenge(r, c, () =>
            c.Response.WriteAsJsonAsync(new { token = planted })));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/app:1"]);

        HostileCli.AssertRefused(run, "line break", ["planted-token-77", "X-Injected"]);
        Assert.Single(registry.Requests, q => q.Contains("/manifests/")); // the first, unauthenticated one: the token was never sent
    }

    [Fact]
    public async Task A_Retry_After_of_days_is_capped_and_every_wait_is_printed()
    {
        var busy = 0;
        await using var registry = await HostileRegistry.StartAsync((r, c) => PingOr(c, () =>
        {
            if (Interlocked.Increment(ref busy) == 1)
            {
                c.Response.StatusCode = 429;
                c.Response.Headers.RetryAfter = "100000";
                return Task.CompletedTask;
            }
            c.Response.StatusCode = 404;
            return c.Response.WriteAsync("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}""");
        }));

        var run = await _cli.RunAsync(["image", "inspect", $"{registry.Host}/busy:1"]);

        HostileCli.AssertRefused(run, "not found");
        Assert.Contains($"registry busy, retrying in {RetryPolicy.MaxRetryAfter.TotalSeconds:0} s (2 of 5)", run.StandardError);
        Assert.Equal(2, registry.Requests.Count(q => q.Contains("/manifests/")));
    }
}
