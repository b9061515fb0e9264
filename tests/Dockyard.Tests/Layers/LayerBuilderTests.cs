using Dockyard.Tests.Infrastructure;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Tests.Layers;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class LayerBuilderTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private static void MakeTree(TempDirectory dir, DateTime fileTime)
    {
        dir.WriteFile("app/web.dll", "assembly bytes", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        dir.WriteFile("app/run.sh", "#!/bin/sh\necho hi\n", (UnixFileMode)0x1ED);
        dir.WriteFile("app/secret.txt", "s", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        dir.WriteFile("app/wwwroot/css/site.css", "body{}", (UnixFileMode)0x1A4);
        File.CreateSymbolicLink(dir.Combine("app", "current"), "web.dll");
        File.SetUnixFileMode(dir.Combine("app"), (UnixFileMode)0x1ED);
        File.SetUnixFileMode(dir.Combine("app", "wwwroot"), (UnixFileMode)0x1E8); // 0750
        foreach (var f in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories))
            if (new FileInfo(f).LinkTarget is null) File.SetLastWriteTimeUtc(f, fileTime);
    }

    [Fact]
    public void SameFilesInTwoDirectoriesAtTwoTimesGiveByteIdenticalLayers()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var cacheA = new TempDirectory();
        using var cacheB = new TempDirectory();
        MakeTree(a, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        MakeTree(b, new DateTime(2024, 6, 1, 12, 30, 0, DateTimeKind.Utc));

        var layerA = new LayerBuilder(Epoch).AddDirectoryTree(a.Combine("app"), "/srv/app").Build(new LayerCache(cacheA.Path));
        var layerB = new LayerBuilder(Epoch).AddDirectoryTree(b.Combine("app"), "srv/app/").Build(new LayerCache(cacheB.Path));

        Assert.Equal(layerA.Digest, layerB.Digest);
        Assert.Equal(layerA.DiffId, layerB.DiffId);
        Assert.Equal(File.ReadAllBytes(layerA.BlobPath), File.ReadAllBytes(layerB.BlobPath));
        Assert.NotEqual(layerA.Digest, layerA.DiffId);
    }

    [Fact]
    public void EntriesKeepModesOwnersAndTheReproducibleTimeWhenReadBackWithTarReader()
    {
        using var src = new TempDirectory();
        using var cache = new TempDirectory();
        MakeTree(src, DateTime.UtcNow);
        var layer = new LayerBuilder(Epoch)
            .AddDirectoryTree(src.Combine("app"), "srv/app", uid: 1000, gid: 1001)
            .AddHardlink("srv/app/web-link.dll", "srv/app/web.dll")
            .Build(new LayerCache(cache.Path), LayerCompression.None);

        Assert.Equal(layer.Digest, layer.DiffId);
        var entries = ReadTar(File.ReadAllBytes(layer.BlobPath));
        Assert.Equal(
            ["srv/", "srv/app/", "srv/app/current", "srv/app/run.sh", "srv/app/secret.txt", "srv/app/web-link.dll", "srv/app/web.dll", "srv/app/wwwroot/", "srv/app/wwwroot/css/", "srv/app/wwwroot/css/site.css"],
            entries.Select(e => e.Name));
        var byName = entries.ToDictionary(e => e.Name);
        Assert.Equal(TarEntryFormat.Ustar, byName["srv/app/web.dll"].Format);
        Assert.Equal((UnixFileMode)0x1A4, byName["srv/app/web.dll"].Mode);
        Assert.Equal((UnixFileMode)0x1ED, byName["srv/app/run.sh"].Mode);
        Assert.Equal((UnixFileMode)0x1A0, byName["srv/app/secret.txt"].Mode);
        Assert.Equal((UnixFileMode)0x1E8, byName["srv/app/wwwroot/"].Mode);
        Assert.Equal(TarEntryType.SymbolicLink, byName["srv/app/current"].EntryType);
        Assert.Equal("web.dll", byName["srv/app/current"].LinkName);
        Assert.Equal(TarEntryType.HardLink, byName["srv/app/web-link.dll"].EntryType);
        Assert.Equal("srv/app/web.dll", byName["srv/app/web-link.dll"].LinkName);
        // synthesised parent: root-owned 0755; chowned entries: 1000/1001
        Assert.Equal((0, 0, (UnixFileMode)0x1ED), (byName["srv/"].Uid, byName["srv/"].Gid, byName["srv/"].Mode));
        Assert.All(entries.Where(e => e.Name.StartsWith("srv/app/", StringComparison.Ordinal) && e.Name != "srv/app/web-link.dll"),
            e => Assert.Equal((1000, 1001), (e.Uid, e.Gid)));
        Assert.All(entries, e => Assert.Equal(Epoch, e.ModificationTime));
        Assert.All(entries, e => Assert.Equal(("", ""), (((PosixTarEntry)e.Entry).UserName, ((PosixTarEntry)e.Entry).GroupName)));
        Assert.Equal("#!/bin/sh\necho hi\n", byName["srv/app/run.sh"].Content);
    }

    [Fact]
    public void GnuTarListsModesNumericOwnersAndTimes()
    {
        using var src = new TempDirectory();
        using var cache = new TempDirectory();
        MakeTree(src, DateTime.UtcNow);
        var layer = new LayerBuilder(Epoch).AddDirectoryTree(src.Combine("app"), "app", uid: 1000, gid: 1000).Build(new LayerCache(cache.Path));

        var listing = Tool.Run("tar", "--numeric-owner", "--utc", "-tzvf", layer.BlobPath).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(listing, l => l.StartsWith("-rwxr-xr-x 1000/1000", StringComparison.Ordinal) && l.EndsWith("app/run.sh", StringComparison.Ordinal));
        Assert.Contains(listing, l => l.StartsWith("-rw-r----- 1000/1000", StringComparison.Ordinal) && l.EndsWith("app/secret.txt", StringComparison.Ordinal));
        Assert.Contains(listing, l => l.StartsWith("drwxr-x--- 1000/1000", StringComparison.Ordinal) && l.EndsWith("app/wwwroot/", StringComparison.Ordinal));
        Assert.Contains(listing, l => l.StartsWith("lrwxrwxrwx 1000/1000", StringComparison.Ordinal) && l.EndsWith("app/current -> web.dll", StringComparison.Ordinal));
        Assert.All(listing, l => Assert.Contains("2023-11-14 22:13", l));
    }

    [Fact]
    public void DigestAndDiffIdMatchSha256SumOfTheBlobAndOfItsGunzippedTar()
    {
        using var cache = new TempDirectory();
        var layer = new LayerBuilder(Epoch).AddFile("etc/motd", LayerContent.FromBytes("hello\n"u8.ToArray())).Build(new LayerCache(cache.Path));
        var tar = Path.Combine(cache.Path, "plain.tar");
        Tool.Decompress(layer.BlobPath, tar, "gzip");

        Assert.Equal(Tool.Sha256Sum(layer.BlobPath), layer.Digest.ToString());
        Assert.Equal(Tool.Sha256Sum(tar), layer.DiffId.ToString());
        Assert.Equal(new FileInfo(layer.BlobPath).Length, layer.Size);
        Assert.Equal(new FileInfo(tar).Length, layer.DiffSize);
        var header = File.ReadAllBytes(layer.BlobPath).AsSpan(0, 10).ToArray();
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0 }, header[..8]); // no FNAME flag, mtime 0
        Assert.Equal(0xFF, header[9]); // OS "unknown", not the build platform
    }

    [Fact]
    public void ZstdLayersRoundTripThroughTheRealZstd()
    {
        using var cache = new TempDirectory();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("zstd layer content ", 5000)));
        var layer = new LayerBuilder(Epoch).AddFile("data/blob.txt", LayerContent.FromBytes(content)).Build(new LayerCache(cache.Path), LayerCompression.Zstd);
        var tar = Path.Combine(cache.Path, "plain.tar");
        Tool.Decompress(layer.BlobPath, tar, "zstd");

        Assert.Equal(Tool.Sha256Sum(layer.BlobPath), layer.Digest.ToString());
        Assert.Equal(Tool.Sha256Sum(tar), layer.DiffId.ToString());
        Assert.True(layer.Size < content.Length / 10);
        var entry = ReadTar(File.ReadAllBytes(tar)).Single(e => e.Name == "data/blob.txt");
        Assert.Equal(Encoding.UTF8.GetString(content), entry.Content);
    }

    [Fact]
    public void LongAndNonAsciiPathsGetAStablePaxHeaderWithoutProcessId()
    {
        using var cache = new TempDirectory();
        var longPath = string.Join('/', Enumerable.Range(0, 30).Select(i => $"segment{i:D2}")) + "/file.txt";
        var builder = new LayerBuilder(Epoch)
            .AddFile(longPath, LayerContent.FromBytes("x"u8.ToArray()))
            .AddFile("docs/résumé.txt", LayerContent.FromBytes("é"u8.ToArray()))
            .AddSymlink("link", new string('t', 150));
        var layer = builder.Build(new LayerCache(cache.Path), LayerCompression.None);
        var bytes = File.ReadAllBytes(layer.BlobPath);

        var names = ReadTar(bytes).Select(e => e.Name).ToList();
        Assert.Contains(longPath, names);
        Assert.Contains("docs/résumé.txt", names);
        Assert.Equal(new string('t', 150), ReadTar(bytes).Single(e => e.Name == "link").LinkName);
        var raw = Encoding.Latin1.GetString(bytes);
        Assert.Contains("PaxHeaders.0/", raw);
        Assert.DoesNotContain($"PaxHeaders.{Environment.ProcessId}", raw);
        Assert.DoesNotContain("atime=", raw);
        Assert.DoesNotContain("ctime=", raw);
        var listing = Tool.Run("tar", "-tvf", layer.BlobPath);
        Assert.Contains(longPath, listing);
        Assert.Contains("résumé", listing);

        using var cache2 = new TempDirectory();
        Assert.Equal(bytes, File.ReadAllBytes(builder.Build(new LayerCache(cache2.Path), LayerCompression.None).BlobPath));
    }

    [Fact]
    public void WhiteoutsPrecedeTheirSiblingsAndGnuTarExtractsTheTree()
    {
        using var cache = new TempDirectory();
        using var extract = new TempDirectory();
        var layer = new LayerBuilder(Epoch)
            .AddFile("etc/a.conf", LayerContent.FromBytes("a"u8.ToArray()))
            .AddWhiteout("etc/old.conf")
            .AddOpaqueWhiteout("var/cache")
            .AddFile("var/cache/new", LayerContent.FromBytes("n"u8.ToArray()))
            .Build(new LayerCache(cache.Path), LayerCompression.None);

        var names = ReadTar(File.ReadAllBytes(layer.BlobPath)).Select(e => e.Name).ToList();
        Assert.Equal(["etc/", "etc/.wh.old.conf", "etc/a.conf", "var/", "var/cache/", "var/cache/.wh..wh..opq", "var/cache/new"], names);
        Tool.Run("tar", "-xf", layer.BlobPath, "-C", extract.Path);
        Assert.Equal("a", File.ReadAllText(extract.Combine("etc", "a.conf")));
    }

    [Fact]
    public void ACacheHitByInputsAvoidsRecompressionAndAChangedFileIsRecompressed()
    {
        using var src = new TempDirectory();
        using var cacheDir = new TempDirectory();
        var file = src.WriteFile("app.dll", "v1");
        var cache = new LayerCache(cacheDir.Path);
        LayerBuilder Builder() => new LayerBuilder(Epoch).AddFileFromDisk("app/app.dll", file);

        var first = Builder().Build(cache);
        var second = Builder().Build(cache);
        Assert.Equal((1, 1), (cache.Compressions, cache.InputHits));
        Assert.Equal(first, second);

        File.WriteAllText(file, "v2");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        var third = Builder().Build(cache);
        Assert.Equal(2, cache.Compressions);
        Assert.NotEqual(first.DiffId, third.DiffId);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(cacheDir.Path, "blobs", "sha256")).Length);
    }

    [Fact]
    public void ACacheHitByDiffIdKeepsTheBlobFirstStoredForTheSameContent()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        using var cacheDir = new TempDirectory();
        var cache = new LayerCache(cacheDir.Path);
        var first = new LayerBuilder(Epoch).AddFileFromDisk("app.dll", a.WriteFile("x.dll", "same", (UnixFileMode)0x1A4)).Build(cache);
        var second = new LayerBuilder(Epoch).AddFileFromDisk("app.dll", b.WriteFile("y.dll", "same", (UnixFileMode)0x1A4)).Build(cache);

        Assert.Equal((2, 1), (cache.Compressions, cache.DiffIdHits));
        Assert.Equal(first, second);
        Assert.Empty(Directory.GetFiles(Path.Combine(cacheDir.Path, "tmp")));
        var reopened = new LayerCache(cacheDir.Path);
        Assert.True(reopened.TryGetByDiffId(first.DiffId, LayerCompression.Gzip, out var found));
        Assert.Equal(first.Digest, found.Digest);
    }

    [Fact]
    public void SymlinksToDirectoriesAreKeptAsLinksAndNotFollowed()
    {
        using var src = new TempDirectory();
        src.WriteFile("real/file.txt", "f");
        Directory.CreateSymbolicLink(src.Combine("alias"), "real");
        Directory.CreateSymbolicLink(src.Combine("loop"), ".");
        var entries = new LayerBuilder(Epoch).AddDirectoryTree(src.Path, "/").Entries;

        Assert.Equal(["alias", "loop", "real", "real/file.txt"], entries.Select(e => e.Path));
        Assert.Equal((LayerEntryType.Symlink, "real"), (entries[0].Type, entries[0].LinkTarget));
    }

    [Fact]
    public void TarOrderIsDepthFirstWithADirectoryBeforeItsChildren()
    {
        string[] paths = ["a-b", "a/b", "a", "a/.wh.z", "B", "a/b/c"];
        Assert.Equal(["B", "a", "a/.wh.z", "a/b", "a/b/c", "a-b"], paths.Order(LayerPath.TarOrder));
    }

    [Fact]
    public void BadInputsGetOneClearError()
    {
        Assert.Contains("'..'", Assert.Throws<DockyardException>(() => new LayerBuilder(Epoch).AddDirectory("a/../../etc")).Message);
        Assert.Contains("root", Assert.Throws<DockyardException>(() => new LayerBuilder(Epoch).AddDirectory("/")).Message);
        Assert.Contains("does not exist", Assert.Throws<DockyardException>(() => LayerContent.FromFile("/nonexistent/file")).Message);
        Assert.Contains("SOURCE_DATE_EPOCH='yesterday'", Assert.Throws<DockyardException>(() => ReproducibleTimestamp.Parse("yesterday")).Message);
        var parentIsFile = new LayerBuilder(Epoch).AddFile("a", LayerContent.FromBytes(Array.Empty<byte>())).AddFile("a/b", LayerContent.FromBytes(Array.Empty<byte>()));
        Assert.Contains("must be a directory", Assert.Throws<DockyardException>(() => parentIsFile.Entries).Message);
        var danglingLink = new LayerBuilder(Epoch).AddHardlink("a", "missing");
        Assert.Contains("not a regular file of this layer", Assert.Throws<DockyardException>(() => danglingLink.Entries).Message);
    }

    [Fact]
    public void SourceDateEpochSetsTheTimestampAndTheDefaultIsOneSecondPastTheEpoch()
    {
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1), ReproducibleTimestamp.Parse(null));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1234567890), ReproducibleTimestamp.Parse("1234567890"));
    }

    [Fact]
    public void PaxRecordLengthCountsItsOwnDigits()
    {
        Assert.Equal("30 mtime=1234567890.123456789\n", TarHeaderWriter.PaxRecord("mtime", "1234567890.123456789"));
        var value = new string('a', 93); // "99 path=" + 93 + "\n" = 100 bytes: the length grows a digit
        var record = TarHeaderWriter.PaxRecord("path", value);
        Assert.Equal(Encoding.UTF8.GetByteCount(record), int.Parse(record.Split(' ')[0]));
    }

    internal static List<(string Name, TarEntryType EntryType, UnixFileMode Mode, int Uid, int Gid, DateTimeOffset ModificationTime, string LinkName, string? Content, TarEntryFormat Format, TarEntry Entry)> ReadTar(byte[] bytes)
    {
        var result = new List<(string, TarEntryType, UnixFileMode, int, int, DateTimeOffset, string, string?, TarEntryFormat, TarEntry)>();
        using var reader = new TarReader(new MemoryStream(bytes));
        while (reader.GetNextEntry(copyData: true) is { } e)
        {
            string? content = e.DataStream is null ? null : new StreamReader(e.DataStream).ReadToEnd();
            result.Add((e.Name, e.EntryType, e.Mode, e.Uid, e.Gid, e.ModificationTime, e.LinkName, content, e.Format, e));
        }
        return result;
    }
}
