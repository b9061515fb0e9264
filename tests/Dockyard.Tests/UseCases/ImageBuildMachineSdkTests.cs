using Dockyard.Builders;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// "Build an image" of a Visual Studio–style Dockerfile with no publish directory: the stage's <c>RUN dotnet publish</c>
/// is run by this machine's real SDK from the context as the COPY lines lay it out, the rest is built natively, and
/// the base images come from the test registry through a registries.conf remap of mcr.microsoft.com.
/// </summary>
public sealed class ImageBuildMachineSdkTests : IAsyncLifetime, IDisposable
{
    private const string Message = "hello from the machine's sdk";
    private readonly TempDirectory _temp = new("uc-sdk");
    private RegistryServer _registry = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryServer.StartAsync();
        using var client = _registry.CreateClient();
        await TestImages.Create("runtime").PushAsync(client, _registry.Reference("mcr/dotnet/runtime:10.0"));
    }

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    public void Dispose() => _temp.Dispose();

    /// <summary>The context: App/App.csproj and Program.cs, a .dockerignore, and the Visual Studio Dockerfile.</summary>
    private string Context(string program = $"System.Console.WriteLine(\"{Message}\");")
    {
        var context = _temp.Combine("context");
        Write(context, "App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
            </Project>
            """);
        Write(context, "App/Program.cs", program);
        // A file .dockerignore keeps out: a publish from a copy that held it would not compile.
        Write(context, "App/ignored/broken.cs", "this is not C#");
        Write(context, ".dockerignore", "**/bin\n**/obj\nApp/ignored\n");
        Write(context, "Dockerfile", """
            FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
            ARG BUILD_CONFIGURATION=Release
            WORKDIR /src
            COPY ["App/App.csproj", "App/"]
            RUN dotnet restore "./App/App.csproj"
            COPY . .
            WORKDIR "/src/App"
            RUN dotnet publish "./App.csproj" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false --no-restore

            FROM mcr.microsoft.com/dotnet/runtime:10.0 AS final
            WORKDIR /app
            COPY --from=build /app/publish .
            ENTRYPOINT ["dotnet", "App.dll"]
            """);
        return context;
    }

    private TestHost Host()
    {
        var conf = _temp.WriteFile("registries.conf", $"""
            [[registry]]
            prefix = "mcr.microsoft.com"
            location = "{_registry.Host}/mcr"
            """);
        return new TestHost(new Dictionary<string, string> { ["CONTAINERS_REGISTRIES_CONF"] = conf });
    }

    [Fact]
    public async Task The_dry_run_says_the_machine_sdk_publishes_the_stage_and_that_its_version_differs_from_the_tag()
    {
        using var host = Host();
        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = Context(), PlanOnly = true, Platforms = [Amd64] });

        Assert.True(result.Plan.IsNative);
        var build = result.Plan.Stages.Single(s => s.Name == "build");
        Assert.Equal(StageBackend.PublishDirectory, build.Backend);
        var text = BuildPlanTextRenderer.Render(result.Plan);
        Assert.Contains("machine's .NET SDK", text, StringComparison.Ordinal);
        Assert.Contains("Dockerfile:8", build.Publish!.Explanation, StringComparison.Ordinal);
        Assert.Contains("-> /app/publish is published by this machine's .NET SDK 10.", build.Publish.Explanation, StringComparison.Ordinal);
        Assert.Contains("base image mcr.microsoft.com/dotnet/sdk:8.0 has SDK 8.0", build.Publish.Explanation, StringComparison.Ordinal);
        Assert.Contains("configuration Release", build.Publish.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_visual_studio_dockerfile_builds_natively_with_the_machine_sdk_and_the_image_holds_an_app_that_runs()
    {
        using var host = Host();
        var layout = _temp.Combine("layout");
        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context(), Tags = ["example.com/app:1"], Platforms = [Amd64], Destination = ImageDestination.At($"oci:{layout}"),
        });

        Assert.Equal(BackendKind.Native, result.Backend);
        // The runtime base came from the remapped registry (mcr.microsoft.com is not reachable; the sdk base is not needed at all).
        var bundle = _temp.Combine("bundle");
        var index = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(layout, "index.json"))).RootElement;
        var name = index.GetProperty("manifests")[0].GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString();
        (await ProcessRunner.RunAsync("umoci", ["unpack", "--rootless", "--image", $"{layout}:{name}", bundle])).EnsureSuccess("umoci unpack");
        var app = Path.Combine(bundle, "rootfs", "app");
        Assert.True(File.Exists(Path.Combine(app, "App.dll")));
        Assert.False(File.Exists(Path.Combine(app, "App")), "UseAppHost=false was passed to dotnet publish");
        Assert.True(File.Exists(Path.Combine(bundle, "rootfs", "etc", "dockyard", "message.txt")), "the runtime base's layers are below the app");
        var run = (await ProcessRunner.RunAsync("dotnet", [Path.Combine(app, "App.dll")])).EnsureSuccess("dotnet App.dll");
        Assert.Equal(Message, run.StandardOutput.Trim());
    }

    [Fact]
    public async Task A_failing_publish_names_the_dockerfile_line_and_shows_the_compiler_error()
    {
        using var host = Host();
        var error = await Assert.ThrowsAsync<DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = Context("System.Console.WriteLine(missing);"), Platforms = [Amd64], Destination = ImageDestination.At($"oci:{_temp.Combine("never")}"),
        }));

        Assert.Contains("context/Dockerfile:8:", error.Message, StringComparison.Ordinal);
        Assert.Contains("this machine's .NET SDK", error.Message, StringComparison.Ordinal);
        Assert.Contains("CS0103", error.Message, StringComparison.Ordinal);
    }
}

public sealed class MachineSdkUnitTests
{
    [Fact]
    public async Task The_machine_sdk_is_found_on_the_host_path_and_the_visual_studio_stage_is_replaceable()
    {
        using var host = new TestHost();
        var sdk = await Dockyard.Builders.Sdk.SdkStagePublisher.FindAsync(host.Context, default);
        Assert.NotNull(sdk);
        Assert.StartsWith("10.", sdk.Version, StringComparison.Ordinal);
        using var temp = new TempDirectory("uc-sdk-unit");
        Write(temp.Path, "Dockerfile", """
            FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build
            WORKDIR /src
            COPY ["App/App.csproj", "App/"]
            RUN dotnet restore "./App/App.csproj"
            COPY . .
            RUN dotnet publish "./App/App.csproj" -c Release -o /app/publish /p:UseAppHost=false --no-restore
            FROM mcr.microsoft.com/dotnet/runtime:10.0
            COPY --from=build /app/publish .
            """);
        var plan = Plan(temp.Path);
        Assert.Single(BuildPlanner.Replaceable(plan));
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/sdk:8.0", "10.0.401", "SDK 8.0")]
    [InlineData("mcr.microsoft.com/dotnet/sdk:10.0", "10.0.401", null)]
    [InlineData("mcr.microsoft.com/dotnet/sdk:10.0-noble", "10.0.401", null)]
    [InlineData("mcr.microsoft.com/dotnet/sdk", "10.0.401", null)]
    [InlineData("localhost:5000/sdk:9.0.300", "10.0.401", "SDK 9.0")]
    public void The_version_note_compares_the_base_image_tag_with_the_machine_sdk(string baseImage, string machine, string? expected)
    {
        var note = Dockyard.Builders.Sdk.SdkStagePublisher.VersionNote(baseImage, machine);
        if (expected is null) Assert.Null(note);
        else Assert.Contains(expected, note, StringComparison.Ordinal);
    }
}
