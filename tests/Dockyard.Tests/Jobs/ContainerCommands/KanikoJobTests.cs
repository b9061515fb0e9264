using Dockyard.Jobs.ContainerCommands;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// GitLab's documented kaniko job (image <c>gcr.io/kaniko-project/executor:debug</c>, the <c>config.json</c> one-liner,
/// <c>/kaniko/executor --context … --destination …</c>) through the real <c>dockyard ci run</c> with no daemon, against a
/// real htpasswd registry: <c>/kaniko</c> is the job's private directory, the tags exist, the password shows nowhere;
/// <c>--no-push --tar-path</c> writes an archive; an unknown flag fails the job naming it.
/// </summary>
public sealed class KanikoJobTests : IClassFixture<ContainerJobRegistry>, IDisposable
{
    private readonly ContainerJobProject _project;

    public KanikoJobTests(ContainerJobRegistry fixture) => _project = new ContainerJobProject(fixture, "kaniko");

    private RegistryServer Registry => _project.Registry;

    [Fact]
    public async Task GitLabs_documented_kaniko_job_pushes_its_tags_with_the_login_the_job_wrote()
    {
        var kanikoExisted = Directory.Exists("/kaniko");
        _project.Write("""
            build:
              stage: build
              image:
                name: gcr.io/kaniko-project/executor:debug
                entrypoint: [""]
              script:
                - mkdir -p /kaniko/.docker
                - echo "{\"auths\":{\"${CI_REGISTRY}\":{\"auth\":\"$(printf "%s:%s" "${CI_REGISTRY_USER}" "${CI_REGISTRY_PASSWORD}" | base64 | tr -d '\n')\"}}}" > /kaniko/.docker/config.json
                - /kaniko/executor
                  --context "${CI_PROJECT_DIR}"
                  --dockerfile "${CI_PROJECT_DIR}/Dockerfile"
                  --build-arg BASE=$BASE_IMAGE
                  --label org.example.release=$CI_COMMIT_TAG
                  --destination "${CI_REGISTRY_IMAGE}:${CI_COMMIT_TAG}"
                  --destination "${CI_REGISTRY_IMAGE}:latest"
                  --digest-file /kaniko/digest
                - echo "digest=$(cat /kaniko/digest)"
              rules:
                - if: $CI_COMMIT_TAG
            """, tag: "v1.2.3");

        var run = await _project.RunAsync("build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["latest", "v1.2.3"], await Skopeo.ListTagsAsync(Registry, _project.Repository));
        var pushed = await Skopeo.InspectAsync(Registry, _project.Repository + ":v1.2.3");
        Assert.Equal("v1.2.3", pushed.GetProperty("Labels").GetProperty("org.example.release").GetString());
        Assert.Equal("dockyard", pushed.GetProperty("Labels").GetProperty("org.example.built-by").GetString());
        Assert.Equal(3, pushed.GetProperty("Layers").GetArrayLength());
        Assert.Contains($"[build] digest={pushed.GetProperty("Digest").GetString()}\n", run.StandardError);
        // The log shows the lines as written; the real /kaniko was never touched.
        Assert.Contains("[build] $ mkdir -p /kaniko/.docker\n", run.StandardError);
        Assert.Contains("[build] $ /kaniko/executor --context \"${CI_PROJECT_DIR}\" --dockerfile", run.StandardError);
        Assert.Equal(kanikoExisted, Directory.Exists("/kaniko"));
    }

    [Fact]
    public async Task No_push_with_tar_path_writes_a_docker_archive_and_an_oci_layout_and_pushes_nothing()
    {
        // The image has /kaniko on its PATH, so scripts also call the executor by its bare name.
        _project.Write("""
            build:
              image:
                name: gcr.io/kaniko-project/executor:v1.23.2-debug
                entrypoint: [""]
              script:
                - executor --context dir://$CI_PROJECT_DIR --build-arg BASE=$BASE_IMAGE --destination $CI_REGISTRY_IMAGE:local
                  --no-push --tar-path image.tar --oci-layout-path oci-layout --reproducible --cache=true --cache-repo $CI_REGISTRY_IMAGE/cache
              artifacts:
                paths: [image.tar, oci-layout]
            """);

        var run = await _project.RunAsync("build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("--no-push: the image is not pushed", run.StandardError);
        Assert.Contains("--cache: layers are looked up by content in the cache repository", run.StandardError);
        var artifacts = Path.Combine(_project.Directory, ".dockyard", "artifacts", "build");
        var archive = await Skopeo.InspectTransportAsync("docker-archive:" + Path.Combine(artifacts, "image.tar"));
        Assert.Equal("dockyard", archive.GetProperty("Labels").GetProperty("org.example.built-by").GetString());
        var layout = await Skopeo.InspectTransportAsync("oci:" + Path.Combine(artifacts, "oci-layout"));
        Assert.Equal(archive.GetProperty("Layers").GetArrayLength(), layout.GetProperty("Layers").GetArrayLength());
        var listed = await ProcessRunner.RunAsync("skopeo", ["list-tags", .. Registry.SkopeoArguments(), $"docker://{Registry.Host}/{_project.Repository}"]);
        Assert.NotEqual(0, listed.ExitCode);
    }

    [Fact]
    public async Task An_unknown_executor_flag_fails_the_job_with_a_DY_error_naming_it()
    {
        _project.Write("""
            build:
              image: { name: "gcr.io/kaniko-project/executor:debug", entrypoint: [""] }
              script:
                - /kaniko/executor --context $CI_PROJECT_DIR --destination $CI_REGISTRY_IMAGE:x --push-retry 3
                - echo never-reached
            """);

        var run = await _project.RunAsync("build");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("[build] error DY6000: /kaniko/executor: flag --push-retry is not supported", run.StandardError);
        Assert.DoesNotContain("never-reached\n", run.StandardError.Replace("$ echo never-reached", ""));
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    [Fact]
    public async Task Insecure_registry_target_and_custom_platform_reach_the_build_and_the_push()
    {
        await using var tls = await RegistryServer.StartAsync(new RegistryServerOptions { Tls = true });
        _project.Write($$"""
            .kaniko:
              image: { name: "gcr.io/kaniko-project/executor:debug", entrypoint: [""] }
              before_script:
                - printf 'FROM scratch AS app\nCOPY app.txt /app.txt\nFROM app AS extra\nCOPY Dockerfile /Dockerfile\n' > Dockerfile.multi
            verified:
              extends: .kaniko
              allow_failure: true
              script:
                - /kaniko/executor --context . --dockerfile Dockerfile.multi --destination {{tls.Host}}/kaniko/flags:verified
            unverified:
              extends: .kaniko
              script:
                - /kaniko/executor --context . --dockerfile Dockerfile.multi --target app --custom-platform linux/arm64
                  --insecure-registry {{tls.Host}} --destination {{tls.Host}}/kaniko/flags:1
            """);

        var run = await _project.RunAsync("--pipeline");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"\[verified\] error DY\d{4}: .*serves HTTPS with a certificate Dockyard does not trust", run.StandardError);
        var pushed = await Skopeo.InspectTransportAsync($"docker://{tls.Host}/kaniko/flags:1", [.. tls.SkopeoArguments()]);
        Assert.Equal("arm64", pushed.GetProperty("Architecture").GetString());
        Assert.Equal(1, pushed.GetProperty("Layers").GetArrayLength());
    }

    [Fact]
    public async Task Registry_mirror_serves_the_docker_hub_base_image_of_the_build()
    {
        // docker.io is not reached: busybox:mirrored exists only in the mirror, under docker.io's library/ path.
        await using var mirror = await RegistryServer.StartAsync();
        using (var client = mirror.CreateClient())
            await TestImages.Create("base from the mirror").PushAsync(client, mirror.Reference("library/busybox:mirrored"));
        _project.Write($$$$"""
            build:
              image: { name: "gcr.io/kaniko-project/executor:debug", entrypoint: [""] }
              script:
                - mkdir -p /kaniko/.docker
                - echo "{\"auths\":{\"$CI_REGISTRY\":{\"auth\":\"$(echo -n ${CI_REGISTRY_USER}:${CI_REGISTRY_PASSWORD} | base64 | tr -d '\n')\"}}}" > /kaniko/.docker/config.json
                - /kaniko/executor --context $CI_PROJECT_DIR --build-arg BASE=busybox:mirrored --registry-mirror {{{{mirror.Host}}}} --destination $CI_REGISTRY_IMAGE:mirrored $KANIKO_ARGS
            """);

        var run = await _project.RunAsync("build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"--registry-mirror: docker.io images are pulled from {mirror.Host} first", run.StandardError);
        Assert.Equal(3, (await Skopeo.InspectAsync(Registry, _project.Repository + ":mirrored")).GetProperty("Layers").GetArrayLength());
    }

    [Fact]
    public async Task A_Dockerfile_that_must_RUN_fails_the_job_naming_the_executor_and_what_it_needs()
    {
        _project.Write("""
            build:
              image: { name: "gcr.io/kaniko-project/executor:debug", entrypoint: [""] }
              script:
                - printf 'FROM %s\nRUN echo hello > /hello\n' "$BASE_IMAGE" > Dockerfile.run
                - /kaniko/executor --context $CI_PROJECT_DIR --dockerfile Dockerfile.run --destination $CI_REGISTRY_IMAGE:run
            """);

        var run = await _project.RunAsync("build");

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"\[build\] error DY6100: /kaniko/executor \(job 'build'\) needs a container for .*RUN", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    [Theory]
    [InlineData("/kaniko/executor --context x", "/J/kaniko/executor --context x")]
    [InlineData("echo '{}' > /kaniko/.docker/config.json", "echo '{}' > /J/kaniko/.docker/config.json")]
    [InlineData("mkdir -p /kaniko/.docker; ls /kaniko", "mkdir -p /J/kaniko/.docker; ls /J/kaniko")]
    [InlineData("cp \"$DIR/kaniko/x\" /opt/kaniko/y /kanikox", "cp \"$DIR/kaniko/x\" /opt/kaniko/y /kanikox")]
    [InlineData("X=/kaniko/y ${A:-/kaniko/z}", "X=/J/kaniko/y ${A:-/J/kaniko/z}")]
    public void Script_words_starting_with_the_kaniko_path_run_in_the_jobs_private_directory(string written, string executed) =>
        Assert.Equal(executed, KanikoPaths.Map(written, "/J/kaniko"));

    [Fact]
    public void Executor_flags_parse_into_the_build_and_its_outputs()
    {
        var kaniko = Assert.IsType<KanikoCommand>(ContainerCommandParser.Parse("kaniko",
            ["--context=dir:///src", "-f", "app.Dockerfile", "-d", "r.example/a:1", "--destination=r.example/a:2", "--build-arg", "V=1", "--target", "app",
             "--label", "k=v", "--custom-platform", "linux/arm64", "--no-push", "--tar-path", "i.tar", "--digest-file=d", "--oci-layout-path", "oci",
             "--cache", "--cache-repo", "r.example/cache", "--skip-tls-verify", "--insecure=false", "--insecure-registry", "m.example", "--registry-mirror", "m1,m2", "--verbosity", "debug"]));
        Assert.Equal("/src", kaniko.Build.Context);
        Assert.Equal("app.Dockerfile", kaniko.Build.Dockerfile);
        Assert.Equal(["r.example/a:1", "r.example/a:2"], kaniko.Build.Tags);
        Assert.Equal(new KeyValuePair<string, string?>("V", "1"), Assert.Single(kaniko.Build.BuildArgs));
        Assert.Equal(("app", "linux/arm64"), (kaniko.Build.Target, Assert.Single(kaniko.Build.Platforms)));
        Assert.Equal((true, "i.tar", "d", "oci"), (kaniko.NoPush, kaniko.TarPath, kaniko.DigestFile, kaniko.OciLayoutPath));
        Assert.Equal((true, "r.example/cache", true, false), (kaniko.Cache, kaniko.CacheRepo, kaniko.SkipTlsVerify, kaniko.Insecure));
        Assert.Equal(["m.example"], kaniko.InsecureRegistries);
        Assert.Equal(["m1", "m2"], kaniko.RegistryMirrors);
        Assert.Equal(["--verbosity=debug"], kaniko.Build.IgnoredOptions);
    }

    [Theory]
    [InlineData("--destination r/a:1", "give the build context with --context DIR")]
    [InlineData("--context git://github.com/x/y --destination r/a:1", "--context git:// is not supported")]
    [InlineData("--context .", "give --destination IMAGE (several allowed), or --no-push")]
    [InlineData("--context . --no-push extra", "unexpected argument 'extra'")]
    [InlineData("--context . --no-push --custom-platform linux/amd64 --custom-platform linux/arm64", "--custom-platform takes one platform")]
    [InlineData("--context . --no-push --dockerfile", "option --dockerfile needs a value")]
    public void Bad_executor_lines_are_DY_errors_naming_what_to_change(string line, string message)
    {
        var error = Assert.Throws<Dockyard.Diagnostics.DockyardException>(() => ContainerCommandParser.Parse("kaniko", line.Split(' ')));
        Assert.StartsWith("/kaniko/executor: ", error.Message);
        Assert.Contains(message, error.Message);
        Assert.Equal("DY6000", error.Code);
    }

    public void Dispose() => _project.Dispose();
}
