using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Templates;

/// <summary>
/// <c>dotnet new dockyard-webapi</c> and <c>dockyard-worker</c> from the packed templates: the created service builds,
/// tests, lints, runs its pipeline's build job with <c>dockyard ci run</c> and its Cake target with the real <c>dotnet cake</c>.
/// </summary>
[Collection(TemplatePackCollection.Name)]
public sealed class TemplateTests(TemplatePack pack)
{
    private static string Output(ProcessResult result) => result.StandardOutput + "\n" + result.StandardError;

    [Fact]
    public async Task A_webapi_builds_passes_its_tests_lints_and_runs_its_build_job_and_its_cake_target()
    {
        using var dir = new TempDirectory("tpl-webapi");
        await pack.CreateAsync("dockyard-webapi", dir, "-n", "Shop.Api", "--framework", "net10.0", "--image", "registry.example.com/team/shop");

        var project = File.ReadAllText(dir.Combine("src", "Shop.Api", "Shop.Api.csproj"));
        Assert.Contains($"""<PackageReference Include="Dockyard.MSBuild" Version="{PackageFeed.PackageVersion}" """, project);
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", project);
        Assert.True(File.Exists(dir.Combine("Shop.Api.slnx")));
        Assert.True(File.Exists(dir.Combine("tests", "Shop.Api.Tests", "Shop.Api.Tests.csproj")));
        var dockerfile = File.ReadAllLines(dir.Combine("Dockerfile"));
        Assert.Equal(2, dockerfile.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)));
        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Contains(dockerfile, l => l.StartsWith("RUN dotnet publish src/Shop.Api/Shop.Api.csproj", StringComparison.Ordinal));
        var pipeline = File.ReadAllText(dir.Combine(".gitlab-ci.yml"));
        Assert.Contains("IMAGE: \"registry.example.com/team/shop\"", pipeline);
        Assert.Contains("-p:PublishImage=true", pipeline);
        Assert.DoesNotContain("services:", pipeline);
        Assert.DoesNotContain("docker:", pipeline);
        var tools = File.ReadAllText(dir.Combine(".config", "dotnet-tools.json"));
        Assert.Contains($"\"version\": \"{PackageFeed.PackageVersion}\"", tools);
        Assert.Contains("\"cake.tool\"", tools);
        Assert.Contains($"package=Dockyard.Cake&version={PackageFeed.PackageVersion}", File.ReadAllText(dir.Combine("build.cake")));

        var build = await TemplatePack.DotnetAsync(dir, "build", "Shop.Api.slnx", "-c", "Release");
        Assert.True(build.ExitCode == 0, Output(build));
        var test = await TemplatePack.DotnetAsync(dir, "test", "Shop.Api.slnx", "-c", "Release", "--no-build");
        Assert.True(test.ExitCode == 0, Output(test));
        Assert.Contains("Passed!", Output(test));

        var lint = await TemplatePack.DockyardAsync(dir.Path, "ci", "lint");
        Assert.True(lint.ExitCode == 0, Output(lint));

        var job = await TemplatePack.DockyardAsync(dir.Path, "ci", "run", "build", "--executor", "shell");
        Assert.True(job.ExitCode == 0, Output(job));
        Assert.Contains("[build] $ dotnet build Shop.Api.slnx -c Release", job.StandardError);
        Assert.True(File.Exists(dir.Combine(".dockyard", "builds", "build", "src", "Shop.Api", "bin", "Release", "net10.0", "Shop.Api.dll")), Output(job));

        var restore = await TemplatePack.DotnetAsync(dir, "tool", "restore");
        Assert.True(restore.ExitCode == 0, Output(restore));
        var tool = await TemplatePack.DotnetAsync(dir, "tool", "run", "dockyard", "ci", "list");
        Assert.True(tool.ExitCode == 0, Output(tool));
        Assert.Contains("build", tool.StandardOutput);
        var cake = await TemplatePack.DotnetAsync(dir, "tool", "run", "dotnet-cake", "--", "build.cake", "--target=ci:build");
        Assert.True(cake.ExitCode == 0, Output(cake));
        Assert.Contains("ci:build", cake.StandardOutput);
    }

    // The pipeline's image job, run locally as written: `dotnet publish -p:PublishImage=true` with ContainerRegistry from
    // $IMAGE, the local run's stand-in $CI_REGISTRY_IMAGE: the image goes to the local image store, its ASP.NET base
    // made from this machine's runtime (no network here). Then the same publish to a real registry, and the image pulled
    // from there by a real dockerd serves the template's endpoint as user 1654.
    [Fact]
    public async Task A_webapi_image_job_runs_locally_then_publishes_to_a_registry_and_its_image_serves_http_under_docker()
    {
        using var dir = new TempDirectory("tpl-image");
        await pack.CreateAsync("dockyard-webapi", dir, "-n", "Shop.Api");
        foreach (var git in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "new service"] })
            (await ProcessRunner.RunAsync("git", git, workingDirectory: dir.Path)).EnsureSuccess("git " + git[0]);
        var environment = new Dictionary<string, string>(TemplatePack.Environment)
        {
            ["DOCKYARD_CACHE"] = dir.Combine(".outside", "cache"),
            ["DOCKER_HOST"] = "unix://" + dir.Combine(".outside", "no-daemon.sock"),
        };

        var job = await ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, "ci", "run", "publish-image", "--executor", "shell"],
            timeout: TimeSpan.FromMinutes(8), environment: environment, workingDirectory: dir.Path);
        Assert.True(job.ExitCode == 0, Output(job));
        Assert.Contains("$CI_REGISTRY of a local run", job.StandardError);
        Assert.Contains("made it from this machine's .NET", job.StandardError);
        var name = Assert.Single(new Dockyard.Images.Stores.LocalImageStore(dir.Combine(".outside", "cache", "images")).List()).Name;
        Assert.Matches(@"^registry\.[^/]+/.+:[0-9a-f]{8}$", name); // $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA of the local run

        // As the job does in GitLab CI: to a real registry, the aspnet base from there (registries.conf), then run by dockerd.
        await using var registry = await RegistryServer.StartAsync();
        await PutMachineBaseAsync(registry, dir, environment, "aspnet");
        var publish = await ProcessRunner.RunAsync("dotnet", ["publish", "src/Shop.Api/Shop.Api.csproj", "-c", "Release", "-p:PublishImage=true",
            $"-p:ContainerRegistry={registry.Host}", "-p:ContainerRepository=shop", "-p:ContainerImageTag=1"], timeout: TimeSpan.FromMinutes(8), environment: environment, workingDirectory: dir.Path);
        Assert.True(publish.ExitCode == 0, Output(publish));
        Assert.Contains("1", await Skopeo.ListTagsAsync(registry, "shop"));

        var daemon = new DockerDaemon();
        await daemon.InitializeAsync();
        try
        {
            var port = FreePort.Next();
            await daemon.DockerAsync(["run", "-d", "--name", "shop", "--network", "host", "-e", $"ASPNETCORE_HTTP_PORTS={port}", $"{registry.Host}/shop:1"]);
            using var http = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? body = null;
            for (var attempt = 0; attempt < 120 && body is null; attempt++)
            {
                try { body = await http.GetStringAsync($"http://127.0.0.1:{port}/"); }
                catch (System.Net.Http.HttpRequestException) { await Task.Delay(500); }
            }
            var logs = await daemon.DockerAsync(["logs", "shop"], check: false);
            Assert.True(body is not null, $"the service did not answer on {port}\n{logs.StandardOutput}{logs.StandardError}");
            Assert.Contains("hello from Shop.Api", body);
            Assert.Equal("1654", (await daemon.DockerAsync(["inspect", "--format", "{{.Config.User}}", "shop"])).StandardOutput.Trim());
        }
        finally
        {
            await daemon.DockerAsync(["rm", "-f", "shop"], check: false);
            await daemon.DisposeAsync();
        }
    }

    // `dotnet publish -p:PublishImage=true` to a real registry, as the worker's pipeline job does in GitLab CI: the
    // Dockerfile's mcr.microsoft.com/dotnet/runtime base comes from that registry through a registries.conf remap (a
    // runtime image made here from this machine's runtime, since nothing public is reachable), skopeo sees the tag, and
    // the image pulled by a real dockerd writes the worker's log line.
    [Fact]
    public async Task A_worker_publishes_its_image_to_a_registry_and_the_image_runs_under_docker()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var dir = new TempDirectory("tpl-worker-image");
        await pack.CreateAsync("dockyard-worker", dir, "-n", "Billing.Worker", "--cake", "false");
        var environment = new Dictionary<string, string>(TemplatePack.Environment)
        {
            ["DOCKYARD_CACHE"] = dir.Combine(".outside", "cache"),
            ["DOCKER_HOST"] = "unix://" + dir.Combine(".outside", "no-daemon.sock"),
        };

        await PutMachineBaseAsync(registry, dir, environment, "runtime");

        var publish = await ProcessRunner.RunAsync("dotnet", ["publish", "-c", "Release", "-p:PublishImage=true", $"-p:ContainerRegistry={registry.Host}",
            "-p:ContainerRepository=billing-worker", "-p:ContainerImageTag=1"], timeout: TimeSpan.FromMinutes(8), environment: environment, workingDirectory: dir.Path);
        Assert.True(publish.ExitCode == 0, Output(publish));
        Assert.Contains(registry.Host, Output(publish));
        var inspect = await Skopeo.InspectAsync(registry, "billing-worker:1");
        Assert.Equal("1654", (await Skopeo.InspectConfigAsync($"docker://{registry.Host}/billing-worker:1", "--tls-verify=false"))["config"]!["User"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(inspect.GetProperty("Digest").GetString()));

        var daemon = new DockerDaemon();
        await daemon.InitializeAsync();
        try
        {
            await daemon.DockerAsync(["run", "-d", "--name", "worker", "-e", "WORKER_INTERVAL_SECONDS=1", $"{registry.Host}/billing-worker:1"]);
            var logs = "";
            for (var attempt = 0; attempt < 120 && !logs.Contains("Billing.Worker running at", StringComparison.Ordinal); attempt++)
            {
                await Task.Delay(500);
                var result = await daemon.DockerAsync(["logs", "worker"], check: false);
                logs = result.StandardOutput + result.StandardError;
            }
            Assert.Contains("Billing.Worker running at", logs);
        }
        finally
        {
            await daemon.DockerAsync(["rm", "-f", "worker"], check: false);
            await daemon.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_worker_without_cake_builds_lints_and_runs_its_build_job()
    {
        using var dir = new TempDirectory("tpl-worker");
        await pack.CreateAsync("dockyard-worker", dir, "-n", "Billing.Worker", "--cake", "false");

        Assert.False(File.Exists(dir.Combine("build.cake")));
        Assert.Contains($"""<PackageReference Include="Dockyard.MSBuild" Version="{PackageFeed.PackageVersion}" """, File.ReadAllText(dir.Combine("Billing.Worker.csproj")));
        Assert.Contains("IMAGE: \"$CI_REGISTRY_IMAGE\"", File.ReadAllText(dir.Combine(".gitlab-ci.yml")));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/runtime:10.0 AS runtime", File.ReadAllLines(dir.Combine("Dockerfile")));

        var lint = await TemplatePack.DockyardAsync(dir.Path, "ci", "lint");
        Assert.True(lint.ExitCode == 0, Output(lint));
        var job = await TemplatePack.DockyardAsync(dir.Path, "ci", "run", "build", "--executor", "shell");
        Assert.True(job.ExitCode == 0, Output(job));
        Assert.True(File.Exists(dir.Combine(".dockyard", "builds", "build", "bin", "Release", "net10.0", "Billing.Worker.dll")), Output(job));

        // the job's copy under .dockyard/ is not compiled into the project itself (DefaultItemExcludes)
        var build = await TemplatePack.DotnetAsync(dir, "build", "-c", "Release");
        Assert.True(build.ExitCode == 0, Output(build));
    }

    /// <summary>
    /// Microsoft's .NET <paramref name="flavor"/> image as this machine makes it offline (a local build, outside CI), put
    /// into <paramref name="registry"/> as dotnet/FLAVOR:10.0, and a registries.conf in <paramref name="environment"/> that
    /// sends mcr.microsoft.com there (what an air-gapped team's mirror does).
    /// </summary>
    private static async Task PutMachineBaseAsync(RegistryServer registry, TempDirectory dir, Dictionary<string, string> environment, string flavor)
    {
        var local = new Dictionary<string, string>(environment) { ["CI"] = "", ["GITLAB_CI"] = "" };
        Task<ProcessResult> Dockyard(params string[] arguments) =>
            ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, .. arguments], timeout: TimeSpan.FromMinutes(5), environment: local, workingDirectory: dir.Path);
        dir.WriteFile($".outside/base-{flavor}/Dockerfile", $"FROM mcr.microsoft.com/dotnet/{flavor}:10.0\n");
        (await Dockyard("build", "-t", $"machine/{flavor}:10.0", dir.Combine(".outside", $"base-{flavor}"))).EnsureSuccess("dockyard build of the base");
        (await Dockyard("image", "copy", $"local:machine/{flavor}:10.0", $"{registry.Host}/dotnet/{flavor}:10.0")).EnsureSuccess("dockyard image copy of the base");
        environment["CONTAINERS_REGISTRIES_CONF"] = dir.WriteFile(".outside/registries.conf",
            $"[[registry]]\nprefix = \"mcr.microsoft.com\"\nlocation = \"{registry.Host}\"\ninsecure = true\n");
    }
}
