using Dockyard.Tests.Infrastructure;
using System.Text.Json.Nodes;
using Dockyard.Images;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Layers;

namespace Dockyard.Tests.Images;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
[Collection(Dockyard.Tests.Infrastructure.DockerDaemonCollection.Name)]
public sealed class DockerLoadTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
    private readonly Dockyard.Tests.Infrastructure.DockerDaemon _docker;
    private readonly TempDirectory _work = new();

    public DockerLoadTests(Dockyard.Tests.Infrastructure.DockerDaemon docker) => _docker = docker;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task ADockerArchiveLoadsIntoARealDockerdWithTheSameIdLayersAndConfig()
    {
        var cache = new LayerCache(_work.Combine("cache"));
        var busybox = new LayerBuilder(Epoch).AddFileFromDisk("bin/busybox", "/bin/busybox").AddSymlink("bin/sh", "busybox").AddSymlink("bin/cat", "busybox").Build(cache);
        var app = new LayerBuilder(Epoch).AddFile("app/hello.txt", LayerContent.FromBytes("hello from dockyard\n"u8.ToArray()), uid: 1000, gid: 1000).Build(cache);
        var builder = new ImageBuilder(Platform.Current, ImageFormat.Docker, Epoch);
        builder.AddLayer(busybox, cache, BuildKitHistory.Copy(["busybox"], "/bin/busybox"));
        builder.AddLayer(app, cache, BuildKitHistory.Copy(["hello.txt"], "/app/", chown: "1000:1000"));
        builder.Config.WorkingDir = "/app";
        builder.AddHistory(BuildKitHistory.Workdir("/app"));
        builder.Config.Entrypoint = ["/bin/cat"];
        builder.AddHistory(BuildKitHistory.Entrypoint(["/bin/cat"]));
        builder.Config.Cmd = ["hello.txt"];
        builder.AddHistory(BuildKitHistory.Cmd(["hello.txt"]));
        var image = builder.Build();
        var archive = _work.Combine("image.tar");
        await new DockerArchiveSink(archive, ["dockyard.test/hello:1.0"]).WriteAsync(image, default);

        Assert.Contains("dockyard.test/hello:1.0", (await _docker.DockerAsync(["load", "-i", archive])).StandardOutput);
        var inspect = JsonNode.Parse((await _docker.DockerAsync(["image", "inspect", "dockyard.test/hello:1.0"])).StandardOutput)!.AsArray()[0]!;
        Assert.Equal(image.ConfigDigest.ToString(), inspect["Id"]!.GetValue<string>());
        Assert.Equal(image.Config.DiffIds.Select(d => d.ToString()), inspect["RootFS"]!["Layers"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("/app", inspect["Config"]!["WorkingDir"]!.GetValue<string>());
        var history = (await _docker.DockerAsync(["history", "--no-trunc", "--format", "{{.CreatedBy}}", "dockyard.test/hello:1.0"])).StandardOutput;
        Assert.Contains("COPY --chown=1000:1000 hello.txt /app/ # buildkit", history);

        // docker's own export of the loaded layers hashes to our diff_ids: it stored exactly our tar bytes
        var saved = _work.Combine("saved");
        Directory.CreateDirectory(saved);
        await _docker.DockerAsync(["save", "-o", Path.Combine(saved, "saved.tar"), "dockyard.test/hello:1.0"]);
        Tool.Run("tar", "-xf", Path.Combine(saved, "saved.tar"), "-C", saved);
        var layers = JsonNode.Parse(File.ReadAllText(Path.Combine(saved, "manifest.json")))!.AsArray()[0]!["Layers"]!.AsArray();
        Assert.Equal(image.Config.DiffIds.Select(d => d.ToString()), layers.Select(l => Tool.Sha256Sum(Path.Combine(saved, l!.GetValue<string>()))));

        Assert.Equal("hello from dockyard\n", (await _docker.DockerAsync(["run", "--rm", "--network", "none", "dockyard.test/hello:1.0"])).StandardOutput);
    }
}
