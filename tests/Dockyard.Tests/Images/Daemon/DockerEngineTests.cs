using System.Formats.Tar;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images.Daemon;
using Dockyard.Images.Layout;
using Dockyard.Tests.Images.Stores;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Images.Daemon;

/// <summary><see cref="DockerEngine"/> against the tests' real dockerd (Debian docker.io 20.10, API 1.41).</summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class DockerEngineTests : IDisposable
{
    private readonly DockerDaemon _docker;
    private readonly TempDirectory _work = new("engine");

    public DockerEngineTests(DockerDaemon docker) => _docker = docker;

    public void Dispose() => _work.Dispose();

    private HostContext Host(Dictionary<string, string> variables) => new(variables, _work.Path) { HomeDirectory = _work.Combine("home") };

    [Fact]
    public async Task PingAnswersWithTheDaemonsVersionAndNegotiatedApi()
    {
        await using var engine = DockerEngine.ForHost(Host(new() { ["DOCKER_HOST"] = _docker.Host }));
        Assert.Equal(_docker.Host, engine.Endpoint);
        var info = await engine.TryPingAsync(CancellationToken.None);
        Assert.NotNull(info);
        var server = (await _docker.DockerAsync(["version", "--format", "{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}} {{.Server.Arch}}"])).StandardOutput.Trim();
        Assert.Equal(server, $"{info.ServerVersion} {info.ApiVersion} {info.OperatingSystem} {info.Architecture}");
    }

    [Fact]
    public async Task NoDaemonMeansNullFromPingAndAMessageNamingTheEndpoint()
    {
        var socket = "unix://" + _work.Combine("nothing.sock");
        await using var engine = DockerEngine.ForHost(Host(new() { ["DOCKER_HOST"] = socket }));
        Assert.Null(await engine.TryPingAsync(CancellationToken.None));
        var e = await Assert.ThrowsAsync<DockyardException>(() => engine.ImageExistsAsync("busybox", CancellationToken.None));
        Assert.Contains(socket, e.Message);
        Assert.Contains("Start the daemon, or set DOCKER_HOST", e.Message);
    }

    [Fact]
    public async Task ADockerArchiveLoadsAndSavesBackWithTheSameConfigAndLayers()
    {
        var image = StoreImages.Build(_work.Combine("cache"), "loaded through the engine API\n");
        var archive = _work.Combine("image.tar");
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, archive, image, ["dockyard.test/engine:1.0"]);
        await using var engine = DockerEngine.ForHost(Host(new() { ["DOCKER_HOST"] = _docker.Host }));

        Assert.False(await engine.ImageExistsAsync("dockyard.test/engine:1.0", CancellationToken.None));
        await using (var tar = File.OpenRead(archive)) await engine.LoadAsync(tar, CancellationToken.None);
        Assert.True(await engine.ImageExistsAsync("dockyard.test/engine:1.0", CancellationToken.None));
        var inspect = JsonNode.Parse((await _docker.DockerAsync(["image", "inspect", "dockyard.test/engine:1.0"])).StandardOutput)!.AsArray()[0]!;
        Assert.Equal(image.ConfigDigest.ToString(), inspect["Id"]!.GetValue<string>());

        var entries = new Dictionary<string, byte[]>();
        await using (var saved = await engine.SaveAsync("dockyard.test/engine:1.0", CancellationToken.None))
        await using (var reader = new TarReader(saved))
        {
            while (await reader.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is null) continue;
                using var bytes = new MemoryStream();
                await entry.DataStream.CopyToAsync(bytes);
                entries[entry.Name] = bytes.ToArray();
            }
        }
        var manifest = JsonNode.Parse(entries["manifest.json"])!.AsArray()[0]!;
        Assert.Equal(["dockyard.test/engine:1.0"], manifest["RepoTags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(image.ConfigBytes, entries[manifest["Config"]!.GetValue<string>()]);
        var layers = manifest["Layers"]!.AsArray().Select(l => Dockyard.Images.Digest.Sha256(entries[l!.GetValue<string>()]).ToString());
        Assert.Equal(image.Config.DiffIds.Select(d => d.ToString()), layers);

        var missing = await Assert.ThrowsAsync<DockyardException>(() => engine.SaveAsync("dockyard.test/absent:1.0", CancellationToken.None));
        Assert.Contains("dockyard.test/absent:1.0", missing.Message);
        var damaged = await Assert.ThrowsAsync<DockyardException>(() => engine.LoadAsync(new MemoryStream("not a tar archive"u8.ToArray()), CancellationToken.None));
        Assert.Contains(_docker.Host, damaged.Message);
    }

    [Fact]
    public async Task TheCurrentContextWrittenByDockerContextCreateIsFound()
    {
        var config = _work.Combine("docker-config");
        Directory.CreateDirectory(config);
        var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = config };
        (await ProcessRunner.RunAsync("docker", ["context", "create", "dockyard-test", "--docker", $"host={_docker.Host}"], environment: environment)).EnsureSuccess("docker context create");

        // named by DOCKER_CONTEXT
        var byVariable = DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_CONFIG"] = config, ["DOCKER_CONTEXT"] = "dockyard-test" }));
        Assert.Equal(_docker.Host, byVariable.Host);
        Assert.Contains("dockyard-test", byVariable.Source);

        // made current by `docker context use` (config.json currentContext)
        (await ProcessRunner.RunAsync("docker", ["context", "use", "dockyard-test"], environment: environment)).EnsureSuccess("docker context use");
        await using (var engine = DockerEngine.ForHost(Host(new() { ["DOCKER_CONFIG"] = config })))
        {
            Assert.Equal(_docker.Host, engine.Endpoint);
            Assert.NotNull(await engine.TryPingAsync(CancellationToken.None));
        }

        // DOCKER_HOST wins over any context, as for the docker CLI; "default" is the platform socket
        Assert.Equal("tcp://127.0.0.1:1", DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_CONFIG"] = config, ["DOCKER_HOST"] = "tcp://127.0.0.1:1", ["DOCKER_CONTEXT"] = "dockyard-test" })).Host);
        Assert.Equal(DockerEndpoint.DefaultHost, DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_CONFIG"] = config, ["DOCKER_CONTEXT"] = "default" })).Host);
        var unknown = Assert.Throws<DockyardException>(() => DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_CONFIG"] = config, ["DOCKER_CONTEXT"] = "nope" })));
        Assert.Contains("\"nope\"", unknown.Message);
        Assert.Contains("docker context create", unknown.Message);
    }

    [Fact]
    public void WithNothingConfiguredTheDefaultSocketIsUsed()
    {
        var endpoint = DockerEndpointDiscovery.Discover(Host([]));
        Assert.Equal(("unix:///var/run/docker.sock", "the default"), (endpoint.Host, endpoint.Source));
        Assert.Null(endpoint.TlsDirectory);
    }

    [Fact]
    public async Task TlsVariablesSelectTheCertificateDirectoryAndMissingFilesAreNamed()
    {
        var certs = _work.Combine("certs");
        Directory.CreateDirectory(certs);
        var endpoint = DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_HOST"] = "tcp://127.0.0.1:2376", ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = certs }));
        Assert.Equal((certs, true), (endpoint.TlsDirectory, endpoint.VerifyServer));
        var unverified = DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_HOST"] = "tcp://127.0.0.1:2376", ["DOCKER_TLS"] = "1" }));
        Assert.Equal((Path.Combine(_work.Combine("home"), ".docker"), false), (unverified.TlsDirectory, unverified.VerifyServer));

        await using var engine = DockerEngine.ForEndpoint(endpoint);
        var e = await Assert.ThrowsAsync<DockyardException>(() => engine.TryPingAsync(CancellationToken.None));
        Assert.Contains("cert.pem", e.Message);
        Assert.Contains(certs, e.Message);
        Assert.Throws<DockyardException>(() => DockerEndpointDiscovery.Discover(Host(new() { ["DOCKER_API_VERSION"] = "latest" })));
    }

    [Fact]
    public async Task AnSshEndpointIsRefusedWithAWayOut()
    {
        await using var engine = DockerEngine.ForHost(Host(new() { ["DOCKER_HOST"] = "ssh://user@build-host" }));
        var e = await Assert.ThrowsAsync<DockyardException>(() => engine.TryPingAsync(CancellationToken.None));
        Assert.Contains("ssh -L", e.Message);
    }
}
