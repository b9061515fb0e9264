using Dockyard.Builders.Native;
using Dockyard.Images;
using Dockyard.Images.DockerArchive;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.Builders.Native;

/// <summary>
/// The native image and <c>docker build</c>'s image of the same multi-stage Dockerfile (real dockerd) have the same
/// filesystem (paths, types, modes, owners, bytes) and config; the native image loads with <c>docker load</c> and runs.
/// </summary>
[Collection(DockerDaemonCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DockerEquivalenceTests(DockerDaemon daemon)
{
    private const string Dockerfile = """
        FROM scratch AS build
        COPY busybox /bin/busybox
        COPY app/ /src/
        COPY --chown=1000:1000 data.txt /src/

        FROM scratch
        COPY --from=build /bin/busybox /bin/busybox
        COPY --from=build /src /app
        ENV GREETING=hello PATH=/bin
        WORKDIR /app
        USER 1000
        LABEL org.example.kind=equivalence
        EXPOSE 8080
        ENTRYPOINT ["/bin/busybox", "cat"]
        CMD ["/app/hello.txt"]
        """;

    [Fact]
    public async Task Native_image_matches_docker_build_and_runs()
    {
        using var temp = new TempDirectory("native-eq");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", Dockerfile);
        File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
        Write(context, "app/hello.txt", "hello from the native builder\n", (UnixFileMode)0x1A4);
        Write(context, "app/bin/tool", "#!/bin/sh\n", (UnixFileMode)0x1ED);
        Write(context, "app/private.txt", "private\n", (UnixFileMode)0x180);
        Write(context, "data.txt", "data\n", (UnixFileMode)0x1A4);

        var native = await BuildAsync(context, temp.Combine("cache"));
        var nativeArchive = temp.Combine("native.tar");
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, nativeArchive, native, ["dockyard.test/native-eq:1"]);

        var tag = "dockyard.test/docker-eq:" + Guid.NewGuid().ToString("N")[..8];
        await daemon.DockerAsync(["build", "-t", tag, context]);
        var dockerArchive = temp.Combine("docker.tar");
        await daemon.DockerAsync(["save", "-o", dockerArchive, tag]);
        var cache = new LayerCache(temp.Combine("read-cache"));
        var fromDocker = DockerArchiveReader.Read(dockerArchive, cache);
        var fromNative = DockerArchiveReader.Read(nativeArchive, cache);

        var nativeFiles = Describe(FileTree.FromLayers(fromNative.Layers, temp.Combine("s2")));
        Assert.Contains(nativeFiles, line => line.StartsWith("app/data.txt File 644 1000:1000 ", StringComparison.Ordinal));
        Assert.Contains(nativeFiles, line => line.StartsWith("app/private.txt File 600 0:0 ", StringComparison.Ordinal));
        Assert.Equal(Describe(FileTree.FromLayers(fromDocker.Layers, temp.Combine("s1"))), nativeFiles);
        Assert.Equal(ConfigFields(fromDocker.Config), ConfigFields(fromNative.Config));

        await daemon.DockerAsync(["load", "-i", nativeArchive]);
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", "dockyard.test/native-eq:1"]);
        Assert.Equal("hello from the native builder\n", run.StandardOutput);
        await daemon.DockerAsync(["rmi", "-f", tag, "dockyard.test/native-eq:1"], check: false);
    }

    private const string OnUmociBase = """
        ARG BASE
        FROM ${BASE}
        USER $APP_UID
        WORKDIR /app
        COPY --chown=1654:1654 src/ ./
        COPY --chown=1654:1654 src/ /fresh/
        COPY --chown=app one.txt /app/existing.txt
        WORKDIR /made/by/workdir
        COPY --chown=1654:1654 one.txt ./
        COPY --chown=1654:1654 one.txt /deep/parents/one.txt
        COPY src/ /modes/
        COPY --chown=1654 src/ /app/
        COPY rootfs/ /
        COPY mylib.so /lib/
        COPY tool /bin/
        COPY alias/f.txt /aliased/
        ADD empty.tar /unpacked/
        """;

    /// <summary>
    /// A base written by umoci (merged-/usr symlinks, ENV APP_UID, a layer without the tar end marker) and COPY/ADD with
    /// --chown/--chmod onto existing and new directories, files onto files, WORKDIR-made and COPY-made parents, into
    /// symlinked /lib and /bin, through a context symlink, and ADD of a tar holding an empty file: same as docker build.
    /// </summary>
    [Fact]
    public async Task Native_build_on_a_umoci_base_matches_docker_build()
    {
        using var temp = new TempDirectory("native-eq-umoci");
        var baseReference = await UmociBaseImage.CreateAsync(temp.Combine("base"));
        var baseTag = "dockyard.test/umoci-base:" + Guid.NewGuid().ToString("N")[..8];
        var baseArchive = temp.Combine("base.tar");
        (await ProcessRunner.RunAsync("skopeo", ["copy", baseReference, $"docker-archive:{baseArchive}:{baseTag}"])).EnsureSuccess("skopeo copy");
        await daemon.DockerAsync(["load", "-i", baseArchive]);

        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", OnUmociBase);
        Write(context, "src/a.txt", "a\n", (UnixFileMode)0x1A4);
        Write(context, "src/sub/b.txt", "b\n", (UnixFileMode)0x1B4);
        Write(context, "one.txt", "one\n", (UnixFileMode)0x1A4);
        File.SetUnixFileMode(Path.Combine(context, "src"), (UnixFileMode)0x1E8);
        Write(context, "mylib.so", "my library\n", (UnixFileMode)0x1ED);
        Write(context, "tool", "#!/bin/sh\necho tool\n", (UnixFileMode)0x1ED);
        Write(context, "rootfs/sbin/extra", "extra\n", (UnixFileMode)0x1ED);
        Write(context, "rootfs/usr/share/doc.txt", "doc\n", (UnixFileMode)0x1A4);
        Write(context, "real/f.txt", "through a link\n", (UnixFileMode)0x1A4);
        File.CreateSymbolicLink(Path.Combine(context, "alias"), "real");
        File.WriteAllBytes(Path.Combine(context, "empty.tar"), UmociBaseImage.TarOf(
            new UmociBaseImage.DirectoryEntry("pkg/"), new UmociBaseImage.FileEntry("pkg/empty", ""), new UmociBaseImage.FileEntry("pkg/full", "full\n")));

        var native = await BuildAsync(context, temp.Combine("cache"), buildArgs: ["BASE=" + baseReference]);
        var nativeArchive = temp.Combine("native.tar");
        var nativeTag = "dockyard.test/native-umoci:" + Guid.NewGuid().ToString("N")[..8];
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, nativeArchive, native, [nativeTag]);

        var tag = "dockyard.test/docker-umoci:" + Guid.NewGuid().ToString("N")[..8];
        await daemon.DockerAsync(["build", "--build-arg", "BASE=" + baseTag, "-t", tag, context]);
        var dockerArchive = temp.Combine("docker.tar");
        await daemon.DockerAsync(["save", "-o", dockerArchive, tag]);
        var cache = new LayerCache(temp.Combine("read-cache"));
        var dockerFiles = Describe(FileTree.FromLayers(DockerArchiveReader.Read(dockerArchive, cache).Layers, temp.Combine("s1")));
        var fromNative = DockerArchiveReader.Read(nativeArchive, cache);
        var nativeFiles = Describe(FileTree.FromLayers(fromNative.Layers, temp.Combine("s2")));

        Assert.Contains("lib Symlink 777 0:0 usr/lib", nativeFiles);
        Assert.Contains(nativeFiles, line => line.StartsWith("usr/lib/mylib.so File 755 0:0 ", StringComparison.Ordinal));
        Assert.Contains(nativeFiles, line => line.StartsWith("usr/bin/tool File 755 0:0 ", StringComparison.Ordinal));
        Assert.Contains("sbin Directory 755 0:0 ", nativeFiles); // a copied tree's directory replaces the link, as dockerd does
        Assert.Contains("app Directory 755 0:0 ", nativeFiles); // COPY --chown into an existing directory leaves it as it was
        Assert.Contains("deep/parents Directory 755 1654:1654 ", nativeFiles); // parents COPY creates belong to --chown
        Assert.Contains(nativeFiles, line => line.StartsWith("unpacked/pkg/empty File 644 0:0 ", StringComparison.Ordinal));
        AssertSameFiles(dockerFiles, nativeFiles);
        Assert.Equal(ConfigFields(DockerArchiveReader.Read(dockerArchive, cache).Config), ConfigFields(fromNative.Config));
        Assert.Equal("1654", fromNative.Config.User);

        await daemon.DockerAsync(["load", "-i", nativeArchive]);
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", nativeTag, "/bin/busybox", "cat", "/lib/mylib.so", "/lib/libbase.so", "/etc/motd", "/aliased/f.txt"]);
        Assert.Equal("my library\nbase library\nadded without an end-of-archive marker\nthrough a link\n", run.StandardOutput);
        await daemon.DockerAsync(["rmi", "-f", tag, nativeTag, baseTag], check: false);
    }

    [Fact]
    public async Task Output_type_docker_loads_the_native_image_into_the_daemon()
    {
        using var temp = new TempDirectory("native-load");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY busybox /bin/busybox\nCOPY msg.txt /\nENTRYPOINT [\"/bin/busybox\", \"cat\", \"/msg.txt\"]\n");
        File.Copy("/bin/busybox", Path.Combine(context, "busybox"));
        Write(context, "msg.txt", "loaded without docker build\n");
        var image = await BuildAsync(context, temp.Combine("cache"));
        var archive = temp.Combine("image.tar");
        var tag = "dockyard.test/loaded:" + Guid.NewGuid().ToString("N")[..8];
        await ImageOutput.WriteAsync(ImageOutputKind.DockerArchive, archive, image, [tag]);

        var backend = new Dockyard.Builders.Docker.DockerCliBackend(new Dockyard.Credentials.ExplicitCredentialProvider(),
            new() { Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = daemon.Host, ["DOCKER_CONFIG"] = daemon.ClientConfig } });
        var loaded = await backend.LoadAsync(archive);

        Assert.Equal([$"Loaded image: {tag}"], loaded);
        var run = await daemon.DockerAsync(["run", "--rm", "--network", "none", tag]);
        Assert.Equal("loaded without docker build\n", run.StandardOutput);
        var id = await daemon.DockerAsync(["image", "inspect", "--format", "{{.Id}}", tag]);
        Assert.Equal(image.ConfigDigest.ToString(), id.StandardOutput.Trim());
        await daemon.DockerAsync(["rmi", "-f", tag], check: false);
    }

    [Fact]
    public async Task Output_type_docker_without_a_daemon_says_what_to_do()
    {
        using var temp = new TempDirectory("native-load");
        var backend = new Dockyard.Builders.Docker.DockerCliBackend(new Dockyard.Credentials.ExplicitCredentialProvider(),
            new() { Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = "unix://" + temp.Combine("none.sock") } });
        var error = await Assert.ThrowsAsync<Dockyard.Diagnostics.DockyardException>(() => backend.LoadAsync(temp.Combine("image.tar")));
        Assert.Contains("--output type=docker", error.Message);
        Assert.Contains("docker-archive", error.Message);
    }

    /// <summary>Fails with the lines only docker's and only the native filesystem have.</summary>
    internal static void AssertSameFiles(List<string> docker, List<string> native)
    {
        var onlyDocker = docker.Except(native).ToList();
        var onlyNative = native.Except(docker).ToList();
        Assert.True(onlyDocker.Count == 0 && onlyNative.Count == 0,
            "docker build only:\n  " + string.Join("\n  ", onlyDocker) + "\nnative only:\n  " + string.Join("\n  ", onlyNative));
        Assert.Equal(docker, native);
    }

    internal static List<string> Describe(FileTree tree) => tree.All.OrderBy(e => e.Path, StringComparer.Ordinal).Select(e =>
        $"{e.Path} {e.Type} {Convert.ToString(e.Mode & 0xFFF, 8)} {e.Uid}:{e.Gid} {(e.Type == LayerEntryType.Symlink ? e.LinkTarget : e.Content is null ? "" : Hash(e.Content))}").ToList();

    private static string Hash(LayerContent content)
    {
        using var stream = content.OpenRead();
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    internal static string ConfigFields(ImageConfig config) => string.Join("\n",
        "env=" + string.Join(",", config.Env ?? []),
        "entrypoint=" + string.Join(",", config.Entrypoint ?? []),
        "cmd=" + string.Join(",", config.Cmd ?? []),
        "workdir=" + config.WorkingDir,
        "user=" + config.User,
        "ports=" + string.Join(",", config.ExposedPorts.Order(StringComparer.Ordinal)),
        "labels=" + string.Join(",", config.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)),
        "platform=" + config.Platform);
}
