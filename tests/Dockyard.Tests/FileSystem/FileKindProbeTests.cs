using System.Diagnostics;
using Dockyard.FileSystem;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.FileSystem;

public sealed class FileKindProbeTests
{
    [Fact]
    public async Task Tells_every_kind_without_following_links()
    {
        using var temp = new TempDirectory("kind");
        var file = temp.WriteFile("f", "x");
        File.CreateSymbolicLink(temp.Combine("link"), file);
        File.CreateSymbolicLink(temp.Combine("dangling"), temp.Combine("nope"));
        using (var mkfifo = Process.Start("mkfifo", [temp.Combine("fifo")])) await mkfifo.WaitForExitAsync();

        Assert.Equal(FileKind.Regular, FileKindProbe.Of(file));
        Assert.Equal(FileKind.Directory, FileKindProbe.Of(temp.Path));
        Assert.Equal(FileKind.SymbolicLink, FileKindProbe.Of(temp.Combine("link")));
        Assert.Equal(FileKind.SymbolicLink, FileKindProbe.Of(temp.Combine("dangling")));
        Assert.Equal(FileKind.Fifo, FileKindProbe.Of(temp.Combine("fifo")));
        Assert.Equal(FileKind.CharacterDevice, FileKindProbe.Of("/dev/null"));
        Assert.Equal(FileKind.Missing, FileKindProbe.Of(temp.Combine("nope")));
        Assert.Equal(FileKind.Missing, FileKindProbe.Of(Path.Combine(file, "below-a-file")));
    }
}
