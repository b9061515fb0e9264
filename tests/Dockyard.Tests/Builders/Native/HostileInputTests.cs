using Dockyard.Builders.Native;
using Dockyard.Diagnostics;
using Dockyard.Layers;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.Builders.Native;

/// <summary>
/// Inputs real writers produce that the native builder must take as docker does: base layers without the tar end
/// marker (umoci), empty files in tars, merged-/usr symlinks in the destination, context symlinks in sources,
/// variables of the base image's ENV; and a truly cut layer, which must be a clear error naming it.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HostileInputTests
{
    [Fact]
    public async Task A_umoci_base_whose_top_layer_has_no_end_marker_builds_and_its_files_read_back()
    {
        using var temp = new TempDirectory("hostile-umoci");
        var reference = await UmociBaseImage.CreateAsync(temp.Combine("base"));
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {reference} AS base\nFROM scratch\nCOPY --from=base /etc/motd /etc/empty-on-top /etc/empty-in-base /out/\n");

        var image = await BuildAsync(context, temp.Combine("cache"));

        var tree = Filesystem(image, temp.Combine("fs"));
        Assert.Equal("added without an end-of-archive marker\n", Text(tree.Get("out/motd")!));
        Assert.Equal("", Text(tree.Get("out/empty-on-top")!));
        Assert.Equal("", Text(tree.Get("out/empty-in-base")!));
    }

    [Fact]
    public async Task A_layer_cut_inside_an_entry_is_an_error_naming_the_layer()
    {
        using var temp = new TempDirectory("hostile-cut");
        await UmociBaseImage.CreateAsync(temp.Combine("base"));
        var whole = UmociBaseImage.TarOf(new UmociBaseImage.DirectoryEntry("data/"), new UmociBaseImage.FileEntry("data/big", new string('x', 5000)));
        var reference = await UmociBaseImage.AddLayerAsync(temp.Combine("base"), "cut", whole[..4000]);
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {reference}\nCOPY Dockerfile /\n");

        var error = await Assert.ThrowsAsync<DockyardException>(() => BuildAsync(context, temp.Combine("cache")));

        Assert.Matches(@"^layer sha256:[0-9a-f]{64} is damaged: the tar data ends inside or right after the entry 'data/big'", error.Message);
        Assert.Contains("again", error.Message);
    }

    [Fact]
    public async Task ADD_of_a_cut_archive_is_an_error_naming_the_line_and_the_archive()
    {
        using var temp = new TempDirectory("hostile-add-cut");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nADD files.tar /x/\n");
        var whole = UmociBaseImage.TarOf(new UmociBaseImage.FileEntry("a", new string('a', 2000)), new UmociBaseImage.FileEntry("b", new string('b', 2000)));
        File.WriteAllBytes(Path.Combine(context, "files.tar"), whole[..1700]);

        var error = await Assert.ThrowsAsync<DockyardException>(() => BuildAsync(context, temp.Combine("cache")));

        Assert.StartsWith("Dockerfile:2:1: archive files.tar is damaged", error.Message);
    }

    [Fact]
    public async Task ADD_of_a_tar_without_end_marker_holding_an_empty_file_extracts_it()
    {
        using var temp = new TempDirectory("hostile-add-empty");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nADD files.tar /x/\n");
        File.WriteAllBytes(Path.Combine(context, "files.tar"), UmociBaseImage.WithoutEndMarker(UmociBaseImage.TarOf(
            new UmociBaseImage.DirectoryEntry("d/"), new UmociBaseImage.FileEntry("d/empty", ""), new UmociBaseImage.FileEntry("d/full", "full\n"))));

        var tree = Filesystem(await BuildAsync(context, temp.Combine("cache")), temp.Combine("fs"));

        Assert.Equal("", Text(tree.Get("x/d/empty")!));
        Assert.Equal("full\n", Text(tree.Get("x/d/full")!));
    }

    [Fact]
    public async Task Sources_through_a_context_symlink_to_a_directory_are_copied()
    {
        using var temp = new TempDirectory("hostile-alias");
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY alias/f.txt /one/\nCOPY alias /all/\nCOPY alias/sub/ /sub/\n");
        Write(context, "real/f.txt", "f\n");
        Write(context, "real/sub/g.txt", "g\n");
        File.CreateSymbolicLink(Path.Combine(context, "alias"), "real");

        var tree = Filesystem(await BuildAsync(context, temp.Combine("cache")), temp.Combine("fs"));

        Assert.Equal("f\n", Text(tree.Get("one/f.txt")!));
        Assert.Equal("f\n", Text(tree.Get("all/f.txt")!));
        Assert.Equal("g\n", Text(tree.Get("all/sub/g.txt")!));
        Assert.Equal("g\n", Text(tree.Get("sub/g.txt")!));
    }

    [Fact]
    public async Task Merged_usr_links_stay_links_and_the_files_land_behind_them()
    {
        using var temp = new TempDirectory("hostile-usrmerge");
        var reference = await UmociBaseImage.CreateAsync(temp.Combine("base"));
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {reference}\nCOPY mylib.so /lib/\nCOPY mylib.so /lib/renamed.so\nCOPY tool /bin\nWORKDIR /lib/work\n" +
            $"COPY --from={reference} /lib/*.so /fromlib/\nCOPY <<EOF /lib/here.txt\nhere\nEOF\n");
        Write(context, "mylib.so", "lib\n");
        Write(context, "tool", "tool\n");

        var tree = Filesystem(await BuildAsync(context, temp.Combine("cache")), temp.Combine("fs"));

        Assert.Equal(LayerEntryType.Symlink, tree.Get("lib")!.Type);
        Assert.Equal(LayerEntryType.Symlink, tree.Get("bin")!.Type);
        Assert.Equal("lib\n", Text(tree.Get("usr/lib/mylib.so")!));
        Assert.Equal("lib\n", Text(tree.Get("usr/lib/renamed.so")!));
        Assert.Equal("tool\n", Text(tree.Get("usr/bin/tool")!));
        Assert.Equal(LayerEntryType.Directory, tree.Get("usr/lib/work")!.Type);
        Assert.Equal("base library\n", Text(tree.Resolve("lib/libbase.so")!));
        Assert.Equal("base library\n", Text(tree.Get("fromlib/libbase.so")!));
        Assert.Equal("here\n", Text(tree.Get("usr/lib/here.txt")!));
        Assert.Null(tree.Get("lib/here.txt"));
    }

    [Fact]
    public async Task USER_and_ENV_expand_variables_of_the_base_images_environment()
    {
        using var temp = new TempDirectory("hostile-app-uid");
        var reference = await UmociBaseImage.CreateAsync(temp.Combine("base"));
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", $"FROM {reference} AS base\nUSER $APP_UID\nENV OWNER=${{APP_UID}}-owner\nFROM base\nLABEL uid=$APP_UID\n");

        var image = await BuildAsync(context, temp.Combine("cache"));

        Assert.Equal("1654", image.Config.User);
        Assert.Equal("1654-owner", image.Config.GetEnv("OWNER"));
        Assert.Equal("1654", image.Config.Labels["uid"]);
    }
}
