using System.CommandLine;
using System.Text.Json;
using Dockyard.Cli;
using Dockyard.Cli.Commands;
using Dockyard.Images;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Registries.Integration;

/// <summary><c>dockyard image copy|inspect</c> end to end against real registries, checked with skopeo.</summary>
public sealed class ImageCommandTests
{

    private static (int Exit, string Out, string Err) Run(string? stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit;
        if (stdin is null) exit = Program.Run(args, stdout, stderr);
        else
        {
            var root = new RootCommand { ImageCommand.Create(stdout, stderr, new StringReader(stdin)) };
            exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        }
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Copy_between_registries_with_password_on_stdin_then_inspect_as_json()
    {
        await using var source = await RegistryServer.StartAsync();
        await using var destination = await RegistryServer.StartAsync(new() { Auth = RegistryAuth.Token });
        var image = TestImages.Create("cli copy");
        var repo = TestNames.Repository("cli");
        await TestImages.PushWithSkopeoAsync(image, source, $"{repo}:1");

        var copy = Run(destination.Password, "image", "copy", $"{source.Host}/{repo}:1", $"{destination.Host}/team/{repo}:2",
            "--username", destination.Username!, "--password-stdin");

        Assert.True(copy.Exit == 0, copy.Err);
        Assert.Contains($"@{image.Manifest.Digest}", copy.Out);
        Assert.Contains($"{image.Blobs.Count} uploaded", copy.Out);
        Assert.Contains("manifest pushed", copy.Err);
        Assert.Equal(image.Manifest.Digest.ToString(), (await Skopeo.InspectAsync(destination, $"team/{repo}:2")).GetProperty("Digest").GetString());

        var inspect = Run(destination.Password, "image", "inspect", $"{destination.Host}/team/{repo}:2", "--json",
            "--username", destination.Username!, "--password-stdin");
        Assert.True(inspect.Exit == 0, inspect.Err);
        using var json = JsonDocument.Parse(inspect.Out);
        Assert.Equal(image.Manifest.Digest.ToString(), json.RootElement.GetProperty("digest").GetString());
        var manifest = json.RootElement.GetProperty("manifests")[0];
        Assert.Equal("linux/amd64", manifest.GetProperty("platform").GetString());
        Assert.Equal(image.Config.Descriptor.Digest, manifest.GetProperty("config").GetProperty("digest").GetString());
        Assert.Equal(image.Layers.Select(l => l.Descriptor.Digest), manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
    }

    [Fact]
    public async Task Copy_all_platforms_within_one_registry_mounts_and_inspect_lists_platforms()
    {
        await using var registry = await RegistryServer.StartAsync();
        var images = new[] { TestImages.Create("a", busybox: false), TestImages.Create("b", new Platform("linux", "arm64", "v8"), busybox: false) };
        var repo = TestNames.Repository("idx");
        using (var client = registry.CreateClient()) await TestImages.PushIndexAsync(client, registry.Reference($"{repo}:1"), images);

        var copy = Run(null, "image", "copy", $"{registry.Host}/{repo}:1", $"{registry.Host}/{repo}-copy:1", "--all-platforms");
        Assert.True(copy.Exit == 0, copy.Err);
        Assert.Contains("mounted", copy.Err);
        Assert.Contains("4 mounted", copy.Out);

        var inspect = Run(null, "image", "inspect", $"{registry.Host}/{repo}-copy:1");
        Assert.True(inspect.Exit == 0, inspect.Err);
        Assert.Contains("Platforms:  linux/amd64, linux/arm64/v8", inspect.Out);
        Assert.Contains(MediaTypes.OciIndex, inspect.Out);
    }

    [Theory]
    [InlineData("upper/Case:1", "must be lower-case")]
    [InlineData("UPPER/app:1", "registry host only because of its upper-case letters")]
    [InlineData("alpine:bad tag", "white space")]
    [InlineData("alpine@sha256:123", "not a digest")]
    public void Bad_reference_is_one_clear_error(string reference, string expected)
    {
        var result = Run(null, "image", "inspect", reference);
        Assert.Equal(1, result.Exit);
        Assert.Contains($"'{reference}' is not a valid image reference", result.Err);
        Assert.Contains(expected, result.Err);
    }

    [Fact]
    public void Password_cannot_be_given_as_an_argument()
    {
        var result = Run(null, "image", "copy", "a", "b", "--password", "secret-on-command-line");
        Assert.NotEqual(0, result.Exit);
        Assert.Contains("--password", result.Err);
    }

    [Fact]
    public void Username_without_password_stdin_is_refused()
    {
        var result = Run(null, "image", "inspect", "127.0.0.1:1/x:1", "--username", "me");
        Assert.Equal(1, result.Exit);
        Assert.Contains("needs --password-stdin", result.Err);
    }
}
