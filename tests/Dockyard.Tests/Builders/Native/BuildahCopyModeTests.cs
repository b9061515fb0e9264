using Dockyard.Images.DockerArchive;
using Dockyard.Builders.Native;
using Dockyard.Images.Layout;
using Dockyard.Layers;
using Dockyard.Tests.Dockerfiles;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.Builders.Native;

/// <summary>
/// COPY --chmod (which the tests' dockerd, a legacy builder, refuses) against the real buildah: new and existing
/// destination directories, a file onto an existing file, WORKDIR-made directories, parents COPY creates.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BuildahCopyModeTests
{
    private const string Dockerfile = """
        FROM scratch
        COPY src/ /app/
        COPY --chmod=750 src/ /app/
        COPY --chmod=700 src/ /fresh/
        COPY --chmod=600 one.txt /app/a.txt
        WORKDIR /made/dir
        COPY --chmod=640 one.txt ./
        COPY --chmod=751 one.txt /deep/parents/one.txt
        """;

    [Fact]
    public async Task COPY_chmod_gives_the_filesystem_buildah_builds()
    {
        using var temp = new TempDirectory("native-buildah-chmod");
        using var buildah = new Buildah();
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", Dockerfile);
        Write(context, "src/a.txt", "a\n", (UnixFileMode)0x1A4);
        Write(context, "src/sub/b.txt", "b\n", (UnixFileMode)0x1B4);
        Write(context, "one.txt", "one\n", (UnixFileMode)0x1A4);
        File.SetUnixFileMode(Path.Combine(context, "src"), (UnixFileMode)0x1E8);
        File.SetUnixFileMode(Path.Combine(context, "src/sub"), (UnixFileMode)0x1ED);

        var native = await BuildAsync(context, temp.Combine("cache"));
        buildah.Build(context, "dockyard.test/buildah-chmod:1");
        var archive = temp.Combine("buildah.tar");
        buildah.SaveDockerArchive("dockyard.test/buildah-chmod:1", archive);

        var cache = new LayerCache(temp.Combine("read-cache"));
        var fromBuildah = DockerEquivalenceTests.Describe(FileTree.FromLayers(DockerArchiveReader.Read(archive, cache).Layers, temp.Combine("s1")));
        var fromNative = DockerEquivalenceTests.Describe(Filesystem(native, temp.Combine("s2")));
        DockerEquivalenceTests.AssertSameFiles(fromBuildah, fromNative);
    }
}
