using Dockyard.Builders.Native;
using Dockyard.Cli;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.Builders.Native;

/// <summary>Native multi-stage builds FROM a base image in a real docker-registry, pushed back and checked with skopeo; the CLI end to end.</summary>
public sealed class NativeRegistryBuildTests
{
    private const string MultiStage = """
        FROM {0}/base/busybox:1 AS build
        WORKDIR /src
        COPY app/ ./
        COPY --chmod=0755 run.sh /src/run.sh

        FROM {0}/base/busybox:1
        ENV GREETING=hello
        COPY --from=build --chown=1000:1000 /src /app
        WORKDIR /app
        ENTRYPOINT ["/bin/sh", "/app/run.sh"]
        CMD ["world"]
        LABEL org.example.built-by=dockyard
        EXPOSE 8080
        """;

    private static async Task<string> ContextAsync(TempDirectory temp, RegistryServer registry)
    {
        using var client = registry.CreateClient();
        await TestImages.Create("base message").PushAsync(client, registry.Reference("base/busybox:1"));
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", string.Format(System.Globalization.CultureInfo.InvariantCulture, MultiStage, registry.Host));
        Write(context, "app/config.json", "{\"x\":1}\n");
        Write(context, "run.sh", "echo \"$GREETING $1\"\n");
        return context;
    }

    [Fact]
    public async Task Multi_stage_build_from_the_registry_is_pushed_under_two_tags_and_passes_skopeo_inspect()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("native-reg");
        var context = await ContextAsync(temp, registry);
        using var client = registry.CreateClient();

        var image = await BuildAsync(context, temp.Combine("cache"), client);
        var digest = await ImagePublisher.PushAsync(image, client, [$"{registry.Host}/app/native:1", $"{registry.Host}/app/native:latest"]);

        var inspect = await Skopeo.InspectAsync(registry, "app/native:latest");
        Assert.Equal(digest.ToString(), inspect.GetProperty("Digest").GetString());
        Assert.Contains("GREETING=hello", inspect.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("dockyard", inspect.GetProperty("Labels").GetProperty("org.example.built-by").GetString());
        // busybox and message layers from the base, then the COPY --from layer; WORKDIR /app adds none (COPY created it).
        Assert.Equal(3, inspect.GetProperty("Layers").GetArrayLength());
        var raw = await Skopeo.RawManifestAsync(registry, "app/native:1");
        Assert.Equal(image.ManifestBytes, raw);

        var fs = Filesystem(image, temp.Combine("scratch"));
        var script = fs.Get("app/run.sh")!;
        Assert.Equal((0x1ED, 1000, 1000), (script.Mode, script.Uid, script.Gid));
        Assert.Equal("{\"x\":1}\n", Text(fs.Get("app/config.json")!));
        Assert.Equal("base message\n", Text(fs.Get("etc/dockyard/message.txt")!));
        Assert.Equal(["/bin/sh", "/app/run.sh"], image.Config.Entrypoint);
        Assert.Equal(["world"], image.Config.Cmd);
    }

    [Fact]
    public async Task Cli_builds_natively_pushes_prints_the_digest_dry_run_prints_the_plan_and_cache_repo_serves_a_fresh_cache_dir()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("native-cli");
        var context = await ContextAsync(temp, registry);

        var (dryCode, plan, _) = Run("build", "--dry-run", "--platform", "linux/amd64", context);
        Assert.Equal(0, dryCode);
        Assert.Contains("Backend: native", plan);
        Assert.Contains("build", plan);

        var (code, stdout, stderr) = Run("build", "--backend", "native", "--push", "--platform", "linux/amd64", "--insecure-registry", registry.Host,
            "--cache-dir", temp.Combine("cache"), "-t", $"{registry.Host}/app/cli:1", "-t", $"{registry.Host}/app/cli:2", context);
        Assert.True(code == 0, stderr);
        var inspect = await Skopeo.InspectAsync(registry, "app/cli:2");
        Assert.Contains($"{registry.Host}/app/cli:1@{inspect.GetProperty("Digest").GetString()}", stdout);
        Assert.Contains("backend: native", stderr);

        // --cache-repo: written after the push (tag dockyard-layer-cache), read by a build with another, empty, cache directory.
        var (cached, _, cachedErr) = Run("build", "--push", "--platform", "linux/amd64", "--insecure-registry", registry.Host, "--cache-dir", temp.Combine("cache"),
            "--cache-repo", $"{registry.Host}/app/cache", "-t", $"{registry.Host}/app/cli:3", context);
        Assert.True(cached == 0, cachedErr);
        Assert.Equal(["dockyard-layer-cache"], await Skopeo.ListTagsAsync(registry, "app/cache"));
        var (fresh, json, freshErr) = Run("build", "--push", "--json", "--platform", "linux/amd64", "--insecure-registry", registry.Host, "--cache-dir", temp.Combine("fresh"),
            "--cache-from", $"type=registry,ref={registry.Host}/app/cache:dockyard-layer-cache", "-t", $"{registry.Host}/app/cli:4", context);
        Assert.True(fresh == 0, freshErr);
        Assert.True(System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("layersFromRegistryCache").GetInt32() > 0, json);
    }

    [Fact]
    public void Cli_backend_native_with_a_run_stage_fails_with_the_planner_explanation()
    {
        using var temp = new TempDirectory("native-cli");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a /a\nRUN echo hi\n");
        Write(context, "a", "a");
        var (code, _, stderr) = Run("build", "--backend", "native", "--output", $"type=oci-archive,dest={temp.Combine("x.tar")}", context);
        Assert.Equal(1, code);
        Assert.Contains("The native backend cannot build this target", stderr);
        Assert.Contains("(option --backend)", stderr);
        Assert.Contains("RUN echo hi", stderr);
        Assert.False(File.Exists(temp.Combine("x.tar")));
    }

    [Fact]
    public async Task Cli_writes_a_docker_archive_that_reads_back()
    {
        using var temp = new TempDirectory("native-cli");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a.txt /\nCMD [\"/a.txt\"]\n");
        Write(context, "a.txt", "a\n");
        var archive = temp.Combine("image.tar");
        var (code, _, stderr) = Run("build", "--platform", "linux/amd64", "--cache-dir", temp.Combine("cache"), "-t", "example.com/app:1",
            "--output", $"type=docker-archive,dest={archive}", context);
        Assert.True(code == 0, stderr);
        var inspect = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", $"docker-archive:{archive}"])).EnsureSuccess("skopeo inspect");
        Assert.Contains("/a.txt", inspect.StandardOutput);
    }

    [Fact]
    public async Task Cli_builds_an_index_for_two_platforms_from_a_multi_platform_base()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("native-cli");
        using var client = registry.CreateClient();
        var amd64 = TestImages.Create("amd64 base", new Dockyard.Images.Platform("linux", "amd64"));
        var arm64 = TestImages.Create("arm64 base", new Dockyard.Images.Platform("linux", "arm64", "v8"));
        await TestImages.PushIndexAsync(client, registry.Reference("base/multi:1"), [amd64, arm64]);
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {registry.Host}/base/multi:1\nCOPY app.txt /app/\n");
        Write(context, "app.txt", "app\n");

        var (code, stdout, stderr) = Run("build", "--push", "--platform", "linux/amd64", "--platform", "linux/arm64/v8", "--insecure-registry", registry.Host,
            "--cache-dir", temp.Combine("cache"), "-t", $"{registry.Host}/app/multi:1", context);

        Assert.True(code == 0, stderr);
        var raw = System.Text.Json.JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, "app/multi:1")).RootElement;
        var manifests = raw.GetProperty("manifests").EnumerateArray().ToList();
        Assert.Equal(["amd64", "arm64"], manifests.Select(m => m.GetProperty("platform").GetProperty("architecture").GetString()));
        Assert.Contains($"@{Dockyard.Images.Digest.Sha256(await Skopeo.RawManifestAsync(registry, "app/multi:1"))}", stdout);
        foreach (var manifest in manifests)
        {
            var child = await client.GetManifestAsync(registry.Reference("app/multi@" + manifest.GetProperty("digest").GetString()));
            var layers = child.ParseManifest().Layers;
            Assert.Equal(3, layers.Count); // busybox and the platform's message layer from the base, then COPY
        }
        var armChild = await client.GetManifestAsync(registry.Reference("app/multi@" + manifests[1].GetProperty("digest").GetString()));
        Assert.Contains(arm64.Layers[1].Descriptor.Digest, armChild.ParseManifest().Layers.Select(l => l.Digest));
    }

    [Fact]
    public async Task Cli_json_prints_the_result_record_and_push_with_output_is_refused()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("native-cli");
        var context = await ContextAsync(temp, registry);

        var (code, stdout, stderr) = Run("build", "--push", "--json", "--platform", "linux/amd64", "--cache-dir", temp.Combine("cache"),
            "--label", "org.example.cli=yes", "-t", $"{registry.Host}/app/json:1", context);

        Assert.True(code == 0, stderr);
        var result = System.Text.Json.JsonDocument.Parse(stdout).RootElement;
        var digest = (await Skopeo.InspectAsync(registry, "app/json:1")).GetProperty("Digest").GetString();
        Assert.Equal("native", result.GetProperty("backend").GetString());
        Assert.Equal(digest, result.GetProperty("digest").GetString());
        Assert.Equal([$"{registry.Host}/app/json:1"], result.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.True(result.GetProperty("uploadedBytes").GetInt64() > 0);
        var image = Assert.Single(result.GetProperty("images").EnumerateArray().ToList());
        Assert.Equal("linux/amd64", image.GetProperty("platform").GetString());
        Assert.StartsWith("sha256:", image.GetProperty("configDigest").GetString(), StringComparison.Ordinal);
        Assert.True(image.GetProperty("size").GetInt64() > 0);

        var (both, _, bothError) = Run("build", "--push", "--output", "type=oci,dest=x", context);
        Assert.Equal(1, both);
        Assert.Contains("(option --output / --push)", bothError, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
