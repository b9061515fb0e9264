using Dockyard.Builders.Native;
using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.Builders.Native;

/// <summary>The native builder on local bases (scratch, an OCI layout on disk): files, modes, owners, config and history.</summary>
public sealed class NativeImageBuilderTests
{
    private const UnixFileMode Executable = (UnixFileMode)0x1ED;

    [Fact]
    public async Task Scratch_image_gets_context_files_with_their_modes_chown_chmod_and_config()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", """
            FROM scratch
            ARG VERSION=1.2
            ENV APP_VERSION=$VERSION
            WORKDIR /app
            COPY app/ ./
            COPY --chown=1000:2000 --chmod=0600 secret.txt /etc/
            LABEL org.example.version=$VERSION
            EXPOSE 8080 53/udp
            USER 1000
            VOLUME /data
            STOPSIGNAL SIGTERM
            ENTRYPOINT ["/app/run"]
            CMD ["--serve"]
            """);
        Write(context, "app/run", "#!/bin/sh\necho hi\n", Executable);
        Write(context, "app/readme.txt", "read me\n", (UnixFileMode)0x1A4);
        Write(context, "app/ignored.log", "noise\n");
        Write(context, "secret.txt", "s3cret\n");
        Write(context, ".dockerignore", "**/*.log\n");

        var image = await BuildAsync(context, temp.Combine("cache"));
        var fs = Filesystem(image, temp.Combine("scratch"));

        Assert.Equal(0x1ED, fs.Get("app/run")!.Mode);
        Assert.Equal(0x1A4, fs.Get("app/readme.txt")!.Mode);
        Assert.Equal("read me\n", Text(fs.Get("app/readme.txt")!));
        Assert.Null(fs.Get("app/ignored.log"));
        var secret = fs.Get("etc/secret.txt")!;
        Assert.Equal((0x180, 1000, 2000), (secret.Mode, secret.Uid, secret.Gid));

        var config = image.Config;
        Assert.Contains("APP_VERSION=1.2", config.Env!);
        Assert.Equal("/app", config.WorkingDir);
        Assert.Equal(["/app/run"], config.Entrypoint);
        Assert.Equal(["--serve"], config.Cmd);
        Assert.Equal("1.2", config.Labels["org.example.version"]);
        Assert.Equal(["53/udp", "8080/tcp"], config.ExposedPorts.Order(StringComparer.Ordinal));
        Assert.Equal("1000", config.User);
        Assert.Equal(["/data"], config.Volumes);
        Assert.Equal("SIGTERM", config.StopSignal);
        // WORKDIR creates /app (a layer), then two COPY layers; every other instruction is an empty-layer history entry.
        Assert.Equal(3, image.Layers.Count);
        Assert.Equal(config.History.Count(h => !h.EmptyLayer), image.Layers.Count);
        Assert.Contains(config.History, h => h.CreatedBy == "COPY --chown=1000:2000 --chmod=0600 secret.txt /etc/ # buildkit");
        Assert.Contains(config.History, h => h.CreatedBy == "ENTRYPOINT [\"/app/run\"]" && h.EmptyLayer);
    }

    [Fact]
    public async Task Copy_from_a_stage_keeps_owners_and_add_extracts_a_local_tar()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", """
            FROM scratch AS build
            COPY --chown=5:6 src/ /out/
            ADD bundle.tar /opt/

            FROM scratch
            COPY --from=build /out /app
            COPY --from=build /opt/inner/data.txt /data.txt
            """);
        Write(context, "src/a.txt", "A\n");
        Write(context, "src/sub/b.txt", "B\n");
        var bundle = temp.Combine("bundle");
        Write(bundle, "inner/data.txt", "from tar\n");
        System.Formats.Tar.TarFile.CreateFromDirectory(bundle, Path.Combine(context, "bundle.tar"), includeBaseDirectory: false);

        var image = await BuildAsync(context, temp.Combine("cache"));
        var fs = Filesystem(image, temp.Combine("scratch"));

        Assert.Equal("A\n", Text(fs.Get("app/a.txt")!));
        Assert.Equal((5, 6), (fs.Get("app/sub/b.txt")!.Uid, fs.Get("app/sub/b.txt")!.Gid));
        Assert.Equal("from tar\n", Text(fs.Get("data.txt")!));
        Assert.Null(fs.Get("opt"));
    }

    [Fact]
    public async Task From_an_oci_layout_on_disk_inherits_base_config_and_files()
    {
        using var temp = new TempDirectory("native");
        var layout = temp.Combine("layout");
        TestImages.WriteOciLayout(TestImages.Create("hello layout"), layout, "v1");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"""
            FROM oci:{layout}:v1
            COPY hello.txt /etc/dockyard/
            ENTRYPOINT ["/bin/sh", "-c"]
            """);
        Write(context, "hello.txt", "hi\n");

        var image = await BuildAsync(context, temp.Combine("cache"));
        var fs = Filesystem(image, temp.Combine("scratch"));

        Assert.Equal("hello layout\n", Text(fs.Get("etc/dockyard/message.txt")!));
        Assert.Equal("hi\n", Text(fs.Get("etc/dockyard/hello.txt")!));
        Assert.Equal(LayerEntryType.Symlink, fs.Get("bin/sh")!.Type);
        Assert.Contains("MESSAGE=hello layout", image.Config.Env!);
        Assert.Null(image.Config.Cmd); // ENTRYPOINT resets the base image's CMD, as docker does.
        Assert.Equal(3, image.Layers.Count);
    }

    [Fact]
    public async Task Same_build_from_two_directories_at_two_times_gives_the_same_digest()
    {
        using var temp = new TempDirectory("native");
        var digests = new List<string>();
        foreach (var (name, when) in new[] { ("one", new DateTime(2020, 1, 1)), ("two", new DateTime(2024, 6, 1)) })
        {
            var context = temp.Combine(name);
            Write(context, "Dockerfile", "FROM scratch\nCOPY . /app/\nCMD [\"/app/run\"]\n");
            Write(context, "run", "#!/bin/sh\n", Executable);
            Write(context, "lib/data.json", "{}\n");
            foreach (var file in Directory.EnumerateFileSystemEntries(context, "*", SearchOption.AllDirectories)) File.SetLastWriteTime(file, when);
            var image = await BuildAsync(context, temp.Combine("cache-" + name));
            digests.Add(image.ManifestDigest.ToString());
        }
        Assert.Equal(digests[0], digests[1]);
    }

    /// <summary>A two-stage Dockerfile whose first stage runs <c>dotnet publish PROJECT.csproj -o /out</c> and whose
    /// final stage copies <c>/out</c> to <c>/app</c>, and the project file.</summary>
    private static void WritePublishingProject(string context, string project)
    {
        Write(context, "Dockerfile", $$"""
            FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
            WORKDIR /src
            COPY . .
            RUN dotnet publish {{project}}.csproj -c Release -o /out

            FROM scratch
            COPY --from=build /out /app
            ENTRYPOINT ["/app/{{project}}"]
            """);
        Write(context, project + ".csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"/>");
    }

    [Fact]
    public async Task Published_output_replaces_the_dotnet_publish_stage()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        WritePublishingProject(context, "App");
        var publish = temp.Combine("publish");
        Write(publish, "App.dll", "dll bytes");
        Write(publish, "App", "apphost", Executable);

        var image = await BuildAsync(context, temp.Combine("cache"), published: [new PublishedOutput(publish, "App.csproj", "Release")]);
        var fs = Filesystem(image, temp.Combine("scratch"));

        Assert.Equal("dll bytes", Text(fs.Get("app/App.dll")!));
        Assert.Equal(0x1ED, fs.Get("app/App")!.Mode);
    }

    [Fact]
    public async Task Published_output_is_split_into_a_dependencies_layer_and_an_app_layer()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        WritePublishingProject(context, "Web");
        var publish = temp.Combine("publish");
        Write(publish, "Web.deps.json", """
            {
              "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0" },
              "targets": { ".NETCoreApp,Version=v10.0": {
                "Web/1.0.0": { "dependencies": { "Newtonsoft.Json": "13.0.3" }, "runtime": { "Web.dll": {} } },
                "Newtonsoft.Json/13.0.3": { "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} } } } },
              "libraries": { "Web/1.0.0": { "type": "project" }, "Newtonsoft.Json/13.0.3": { "type": "package" } }
            }
            """);
        Write(publish, "Web.runtimeconfig.json", "{}");
        Write(publish, "Web.dll", "web v1");
        Write(publish, "Web", "apphost", Executable);
        Write(publish, "Newtonsoft.Json.dll", "json");
        var published = new PublishedOutput(publish, "Web.csproj", "Release");

        var first = await BuildAsync(context, temp.Combine("cache"), published: [published]);
        Assert.Equal(2, first.Layers.Count);
        var dependencies = FileTree.FromLayers([first.Layers[0]], temp.Combine("s1"));
        var app = FileTree.FromLayers([first.Layers[1]], temp.Combine("s2"));
        Assert.Equal("json", Text(dependencies.Get("app/Newtonsoft.Json.dll")!));
        Assert.Null(dependencies.Get("app/Web.dll"));
        Assert.Equal("web v1", Text(app.Get("app/Web.dll")!));
        Assert.Null(app.Get("app/Newtonsoft.Json.dll"));
        var whole = Filesystem(first, temp.Combine("s3"));
        Assert.Equal(["app/Newtonsoft.Json.dll", "app/Web", "app/Web.deps.json", "app/Web.dll", "app/Web.runtimeconfig.json"],
            whole.All.Where(e => e.Type == LayerEntryType.File).Select(e => e.Path).Order(StringComparer.Ordinal));

        // A code change: only the app layer is new; the dependencies layer keeps its digest (nothing to re-push).
        Write(publish, "Web.dll", "web v2");
        var second = await BuildAsync(context, temp.Combine("cache"), published: [published]);
        Assert.Equal(first.Layers[0].Descriptor.Digest, second.Layers[0].Descriptor.Digest);
        Assert.NotEqual(first.Layers[1].Descriptor.Digest, second.Layers[1].Descriptor.Digest);
    }

    [Fact]
    public async Task A_run_stage_fails_with_the_planner_explanation()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a /a\nRUN echo hi\n");
        Write(context, "a", "a");
        var error = await Assert.ThrowsAsync<DockyardException>(() => BuildAsync(context, temp.Combine("cache")));
        Assert.Contains("Dockerfile:3", error.Message);
        Assert.Contains("docker or buildah backend", error.Message);
        Assert.Equal(Setting.Backend, error.Setting);
    }

    [Fact]
    public async Task A_missing_source_names_the_line()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY missing.txt /app/\n");
        var error = await Assert.ThrowsAsync<DockyardException>(() => BuildAsync(context, temp.Combine("cache")));
        Assert.Contains("Dockerfile:2", error.Message);
        Assert.Contains("missing.txt", error.Message);
    }

    [Fact]
    public async Task Oci_archive_output_reads_back_with_skopeo()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a.txt /\n");
        Write(context, "a.txt", "a\n");
        var image = await BuildAsync(context, temp.Combine("cache"));
        var archive = temp.Combine("image.tar");
        await ImageOutput.WriteAsync(ImageOutputKind.OciArchive, archive, image, ["app:1"]);

        var raw = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}"])).EnsureSuccess("skopeo inspect");
        Assert.Equal(image.ManifestDigest, Dockyard.Images.Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(raw.StandardOutput.TrimEnd('\n'))));
    }

    [Fact]
    public async Task A_docker_archive_and_an_oci_layout_written_by_one_build_are_bases_of_the_next()
    {
        using var temp = new TempDirectory("native");
        var first = temp.Combine("first");
        Write(first, "Dockerfile", "FROM scratch\nCOPY base.txt /etc/\nENV FROM_BASE=1\n");
        Write(first, "base.txt", "base\n");
        var baseImage = await BuildAsync(first, temp.Combine("cache"));
        var archive = temp.Combine("base.tar");
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, archive, baseImage, ["example.com/base:1"]);
        var layout = temp.Combine("layout");
        await ImageOutput.WriteAsync(ImageOutputKind.Oci, layout, baseImage, ["v1"]);

        foreach (var reference in new[] { $"docker-archive:{archive}", $"oci:{layout}:v1" })
        {
            var second = temp.Combine("second-" + Guid.NewGuid().ToString("N")[..6]);
            Write(second, "Dockerfile", $"FROM {reference}\nCOPY app.txt /etc/\n");
            Write(second, "app.txt", "app\n");
            var image = await BuildAsync(second, temp.Combine("cache"));
            var fs = Filesystem(image, temp.Combine("scratch-" + Guid.NewGuid().ToString("N")[..6]));
            Assert.Equal("base\n", Text(fs.Get("etc/base.txt")!));
            Assert.Equal("app\n", Text(fs.Get("etc/app.txt")!));
            Assert.Contains("FROM_BASE=1", image.Config.Env!);
            Assert.Equal(baseImage.Layers[0].DiffId, image.Layers[0].DiffId);
        }
    }

    [Fact]
    public async Task Chown_by_name_uses_the_stage_passwd_and_group_files_and_an_unknown_name_is_an_error()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", """
            FROM scratch
            COPY passwd group /etc/
            COPY --chown=app a.txt /a.txt
            COPY --chown=app:staff a.txt /b.txt
            """);
        Write(context, "passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1234:4321::/home/app:/bin/sh\n");
        Write(context, "group", "root:x:0:\nstaff:x:50:\n");
        Write(context, "a.txt", "a\n");
        var image = await BuildAsync(context, temp.Combine("cache"));
        var fs = Filesystem(image, temp.Combine("scratch"));
        Assert.Equal((1234, 4321), (fs.Get("a.txt")!.Uid, fs.Get("a.txt")!.Gid));
        Assert.Equal((1234, 50), (fs.Get("b.txt")!.Uid, fs.Get("b.txt")!.Gid));

        Write(context, "Dockerfile", "FROM scratch\nCOPY --chown=nobody a.txt /a.txt\n");
        var error = await Assert.ThrowsAsync<DockyardException>(() => BuildAsync(context, temp.Combine("cache")));
        Assert.Contains("Dockerfile:2", error.Message);
        Assert.Contains("'nobody'", error.Message);
    }

    [Fact]
    public async Task Copy_exclude_leaves_out_matching_paths_below_the_source()
    {
        using var temp = new TempDirectory("native");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "# syntax=docker/dockerfile:1.7-labs\nFROM scratch\nCOPY --exclude=*.md --exclude=tests src/ /app/\n");
        Write(context, "src/main.cs", "code");
        Write(context, "src/README.md", "doc");
        Write(context, "src/tests/t.cs", "test");
        var image = await BuildAsync(context, temp.Combine("cache"));
        var fs = Filesystem(image, temp.Combine("scratch"));
        Assert.NotNull(fs.Get("app/main.cs"));
        Assert.Null(fs.Get("app/README.md"));
        Assert.Null(fs.Get("app/tests/t.cs"));
        Assert.Null(fs.Get("app/tests"));
    }
}
