using System.Text.Json;
using Dockyard.Builders;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// "Build an image" without a Dockerfile: a publish directory on a base image, laid out as the SDK's
/// <c>PublishContainer</c> does; the image is loaded into the test dockerd and run.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class ImageBuildPublishDirectoryTests(DockerDaemon daemon)
{
    private const UnixFileMode Executable = (UnixFileMode)0x1ED;

    /// <summary>A publish directory of app <c>Shop</c> with one NuGet dependency; the "app host" is a busybox script.</summary>
    private static string Publish(TempDirectory temp, bool appHost)
    {
        var publish = temp.Combine("publish");
        Write(publish, "Shop.deps.json", """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
              "targets": { ".NETCoreApp,Version=v10.0": {
                "Shop/1.0.0": { "dependencies": { "Newtonsoft.Json": "13.0.3" }, "runtime": { "Shop.dll": {} } },
                "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} } } } },
              "libraries": { "Shop/1.0.0": { "type": "project" }, "Newtonsoft.Json/13.0.3": { "type": "package" } }
            }
            """);
        Write(publish, "Shop.runtimeconfig.json", """{"runtimeOptions":{"tfm":"net10.0"}}""");
        Write(publish, "Shop.dll", "dll bytes");
        Write(publish, "Newtonsoft.Json.dll", "json");
        if (appHost) Write(publish, "Shop", "#!/bin/sh\necho \"shop as $(id -u) in $(pwd) with $GREETING\"\n", Executable);
        return publish;
    }

    /// <summary>A .NET-like base: busybox with APP_UID and ASP.NET Core's port, built and pushed by the use case itself.</summary>
    private static async Task<string> BaseAsync(TestHost host, TempDirectory temp, RegistryServer registry)
    {
        using (var client = registry.CreateClient()) await TestImages.Create("base").PushAsync(client, registry.Reference("busybox:1"));
        var context = temp.Combine("base");
        Write(context, "Dockerfile", $"FROM {registry.Host}/busybox:1\nENV APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080\n");
        var reference = $"{registry.Host}/dotnet/runtime:10.0";
        await ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = context, Tags = [reference], Platforms = [Amd64], Destination = ImageDestination.Push });
        return reference;
    }

    [Fact]
    public async Task The_app_host_image_has_the_sdk_config_shape_and_runs_under_docker()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-publish");
        using var host = new TestHost(new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        var baseImage = await BaseAsync(host, temp, registry);
        var publish = Publish(temp, appHost: true);
        const string tag = "dockyard.test/shop:1";

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            PublishDirectory = publish, Tags = [tag], Platforms = [Amd64], Destination = ImageDestination.At(ImageDestination.DockerDaemon),
            App = new ContainerAppSettings { BaseImage = baseImage, Environment = new Dictionary<string, string> { ["GREETING"] = "hello \"world\" $HOME" } },
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "shop" },
        });

        Assert.Equal(BackendKind.Native, result.Backend);
        Assert.Equal("the Docker daemon", result.Location);
        var config = (await daemon.DockerAsync(["image", "inspect", "--format", "{{json .Config}}", tag])).StandardOutput;
        var shape = JsonDocument.Parse(config).RootElement;
        Assert.Equal(["/app/Shop"], shape.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/app", shape.GetProperty("WorkingDir").GetString());
        Assert.Equal("1654", shape.GetProperty("User").GetString());
        Assert.Equal(["8080/tcp"], shape.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name));
        Assert.Contains("GREETING=hello \"world\" $HOME", shape.GetProperty("Env").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("shop", shape.GetProperty("Labels").GetProperty("org.opencontainers.image.title").GetString());
        // Base layers, then the dependencies layer and the app layer (WORKDIR adds none: COPY created /app).
        var layers = (await daemon.DockerAsync(["image", "inspect", "--format", "{{len .RootFS.Layers}}", tag])).StandardOutput.Trim();
        Assert.Equal("4", layers);

        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", tag]);
        Assert.Equal("shop as 1654 in /app with hello \"world\" $HOME", run.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public async Task Without_the_app_host_the_entrypoint_is_dotnet_and_the_given_user_and_ports_win()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-publish");
        using var host = new TestHost();
        var baseImage = await BaseAsync(host, temp, registry);
        var archive = temp.Combine("shop.tar");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            PublishDirectory = Publish(temp, appHost: false), Tags = ["example.com/shop:1"], Platforms = [Amd64], Destination = ImageDestination.At($"oci-archive:{archive}"),
            App = new ContainerAppSettings { BaseImage = baseImage, WorkingDirectory = "/srv/shop", User = "app", Ports = ["5000", "5001/udp"], Arguments = ["--urls", "http://+:5000"] },
        });

        var inspect = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", $"oci-archive:{archive}"])).EnsureSuccess("skopeo inspect --config");
        var config = JsonDocument.Parse(inspect.StandardOutput).RootElement.GetProperty("config");
        Assert.Equal(["dotnet", "/srv/shop/Shop.dll"], config.GetProperty("Entrypoint").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["--urls", "http://+:5000"], config.GetProperty("Cmd").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("/srv/shop", config.GetProperty("WorkingDir").GetString());
        Assert.Equal("app", config.GetProperty("User").GetString());
        Assert.Equal(["5000/tcp", "5001/udp"], config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("(publish directory)", result.Plan.DockerfileName, StringComparison.Ordinal);
        Assert.Equal(Dockyard.Builders.Planning.StageBackend.PublishDirectory, result.Plan.Stages[0].Backend);
    }

    [Fact]
    public async Task A_container_backend_cannot_build_without_a_dockerfile()
    {
        using var temp = new TempDirectory("uc-publish");
        using var host = new TestHost(new Dictionary<string, string> { ["DOCKER_HOST"] = daemon.Host });
        var error = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            PublishDirectory = Publish(temp, appHost: true), Tags = ["example.com/shop:1"], Backend = BackendKind.Docker,
            App = new ContainerAppSettings { BaseImage = "oci:" + temp.Combine("no-such-layout") },
        }));
        Assert.Equal(Dockyard.Diagnostics.Setting.Backend, error.Setting);
        Assert.Contains("no Dockerfile", error.Message, StringComparison.Ordinal);
    }
}
