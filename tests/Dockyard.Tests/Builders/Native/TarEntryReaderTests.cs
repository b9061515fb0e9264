using Dockyard.Diagnostics;
using Dockyard.Layers;
using Dockyard.Tests.Infrastructure;
using Xunit;
using static Dockyard.Tests.Builders.Native.UmociBaseImage;

namespace Dockyard.Tests.Builders.Native;

/// <summary>Where a tar stream may end (after an entry, with or without the marker) and where it may not (inside an entry).</summary>
public sealed class TarEntryReaderTests
{
    private static readonly byte[] Whole = TarOf(new DirectoryEntry("d/"), new FileEntry("d/a", new string('a', 700)), new FileEntry("d/empty", ""));

    private static List<string> Names(byte[] tar, bool readData = false)
    {
        var reader = new TarEntryReader(new MemoryStream(tar), "layer L");
        var names = new List<string>();
        while (reader.Next() is { } entry)
        {
            if (readData) reader.CopyData(entry, new MemoryStream());
            names.Add(entry.Name);
        }
        return names;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(512)]
    [InlineData(1024)]
    public void An_archive_ends_after_its_last_entry_with_or_without_the_marker(int markerBytes)
    {
        var body = WithoutEndMarker(Whole);
        var tar = body.Concat(new byte[markerBytes]).ToArray();
        Assert.Equal(["d/", "d/a", "d/empty"], Names(tar));
        Assert.Equal(["d/", "d/a", "d/empty"], Names(tar, readData: true));
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(1600, false)]
    [InlineData(2700, false)]
    [InlineData(2700, true)]
    public void An_archive_cut_inside_an_entry_is_damaged_and_named(int length, bool readData)
    {
        var error = Assert.Throws<DockyardException>(() => Names(Whole[..length], readData));
        Assert.StartsWith("layer L is damaged: the tar data ends ", error.Message);
        Assert.Contains("again", error.Message);
    }

    // Found by the tar fuzz target (tests/Dockyard.Fuzz/corpus/tar/): System.Formats.Tar threw OverflowException for a
    // header size past long.MaxValue and InvalidOperationException for a PAX header longer than its data.
    [Theory]
    [InlineData("overflowing-size")]
    [InlineData("pax-longer-than-data")]
    public void Malformed_headers_are_damaged_and_named(string input)
    {
        var error = Assert.Throws<DockyardException>(() => Names(FuzzCorpus.Input("tar", input), readData: true));
        Assert.StartsWith("layer L is damaged: the tar data ends ", error.Message);
        Assert.Contains("again", error.Message);
    }

    [Fact]
    public void A_sparse_file_entry_is_refused_and_named() // found by the tar fuzz target (corpus/tar/sparse-entry)
    {
        var error = Assert.Throws<DockyardException>(() => Names(FuzzCorpus.Input("tar", "sparse-entry")));
        Assert.StartsWith("layer L holds a tar entry Dockyard cannot read, ", error.Message);
        Assert.Contains("SparseFile", error.Message);
        Assert.Contains("--sparse", error.Message);
    }

    [Fact]
    public void Bytes_that_are_not_a_tar_are_damaged_and_named()
    {
        var noise = Enumerable.Range(0, 2048).Select(i => (byte)(i * 7 + 1)).ToArray();
        var error = Assert.Throws<DockyardException>(() => Names(noise));
        Assert.StartsWith("layer L is damaged", error.Message);
    }
}
