using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Images;
using Dockyard.Images.Stores;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Images.Stores;

public sealed class LocalImageStoreTests : IDisposable
{
    private readonly TempDirectory _work = new("store");
    private readonly LocalImageStore _store;

    public LocalImageStoreTests() => _store = new LocalImageStore(_work.Combine("images")) { CollectionGrace = TimeSpan.Zero };

    public void Dispose() => _work.Dispose();

    private string Cache => _work.Combine("cache");

    [Fact]
    public void TheStoreOfAHostLivesInItsCacheDirectory()
    {
        var host = new HostContext(new Dictionary<string, string> { ["DOCKYARD_CACHE"] = _work.Combine("c") }, _work.Path);
        Assert.Equal(Path.Combine(_work.Combine("c"), "images"), LocalImageStore.ForHost(host).Root);
    }

    [Fact]
    public async Task AnImageRoundTripsUnderItsNormalisedNameAndSkopeoReadsTheLayout()
    {
        var image = await StoreImages.AddAsync(_store, Cache, "busybox", "hello\n");

        foreach (var spelling in new[] { "busybox", "busybox:latest", "docker.io/library/busybox:latest", "index.docker.io/library/busybox" })
            Assert.Equal(image.ManifestDigest.ToString(), _store.Find(spelling)?.Descriptor.Digest);
        var entry = Assert.Single(_store.List());
        Assert.Equal("docker.io/library/busybox:latest", entry.Name);
        Assert.Null(entry.Descriptor.Annotations);
        Assert.Equal(StoreImages.Epoch, entry.Created);
        Assert.Null(_store.Find("busybox:other"));

        var annotations = Assert.Single(StoreImages.Index(_store).GetProperty("manifests").EnumerateArray()).GetProperty("annotations");
        Assert.Equal("docker.io/library/busybox:latest", annotations.GetProperty(LocalImageStore.NameAnnotation).GetString());
        Assert.Equal("docker.io/library/busybox:latest", annotations.GetProperty(LocalImageStore.ContainerdNameAnnotation).GetString());
        Assert.True(File.Exists(Path.Combine(_store.Root, "oci-layout")));

        await using (var blob = await _store.OpenBlobAsync(image.Manifest.Config, CancellationToken.None))
        using (var copy = new MemoryStream())
        {
            await blob.CopyToAsync(copy);
            Assert.Equal(image.ConfigBytes, copy.ToArray());
        }
        Assert.Equal(_store.BlobPath(image.ConfigDigest), Path.Combine(_store.Root, "blobs", "sha256", image.ConfigDigest.Hex));

        // the real skopeo reads the store as an OCI layout by the full name and copies the image out of it
        var inspect = await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci:{_store.Root}:docker.io/library/busybox:latest"]);
        Assert.Equal(Encoding.UTF8.GetString(image.ManifestBytes), inspect.EnsureSuccess("skopeo inspect").StandardOutput.TrimEnd('\n'));
        (await ProcessRunner.RunAsync("skopeo", ["copy", $"oci:{_store.Root}:docker.io/library/busybox:latest", $"oci:{_work.Combine("copy")}:x"])).EnsureSuccess("skopeo copy");
    }

    [Fact]
    public async Task NamesByDigestImageIdAndIdPrefixResolve()
    {
        var image = await StoreImages.AddAsync(_store, Cache, "127.0.0.1:5000/team/app:1.0", "one\n");
        var id = image.ConfigDigest;

        Assert.Equal("127.0.0.1:5000/team/app:1.0", _store.Find($"127.0.0.1:5000/team/app@{image.ManifestDigest}")?.Name);
        Assert.Null(_store.Find($"127.0.0.1:5000/team/other@{image.ManifestDigest}"));
        Assert.NotNull(_store.Find(id.ToString()));
        Assert.NotNull(_store.Find(id.Hex));
        Assert.NotNull(_store.Find(image.ManifestDigest.ToString()));
        Assert.NotNull(_store.Find(id.Hex[..12]));
        Assert.NotNull(_store.Find("sha256:" + id.Hex[..5]));
        Assert.Null(_store.Find(new string(id.Hex[0] == 'a' ? 'b' : 'a', 12)));
        var summary = Assert.Single(_store.Summaries());
        Assert.Equal(("127.0.0.1:5000/team/app", "1.0", id), (summary.Repository, summary.Tag, summary.ImageId));
        Assert.Equal(image.ManifestBytes.Length + image.ConfigBytes.Length + image.Layers.Sum(l => l.Descriptor.Size), summary.Size);
        Assert.Throws<DockyardException>(() => _store.Find("Not A Name"));
    }

    [Fact]
    public async Task AnAmbiguousIdPrefixIsRefusedWithTheCandidates()
    {
        var ids = new Dictionary<char, string>();
        for (var i = 0; i < 17; i++)
        {
            var image = await StoreImages.AddAsync(_store, Cache, $"app:{i}", $"content {i}\n");
            if (ids.TryGetValue(image.ConfigDigest.Hex[0], out var other))
            {
                var e = Assert.Throws<DockyardException>(() => _store.Find(image.ConfigDigest.Hex[..1]));
                Assert.Contains("ambiguous", e.Message);
                Assert.Contains(other[..12], e.Message);
                return;
            }
            ids[image.ConfigDigest.Hex[0]] = image.ConfigDigest.Hex;
        }
        Assert.Fail("17 images cannot all start with different hex digits");
    }

    [Fact]
    public async Task SetNameMovesANameAndAnImageWithoutCreatedShowsWhenItWasNamed()
    {
        var first = await StoreImages.AddAsync(_store, Cache, "app", "one\n");
        var second = await StoreImages.AddAsync(_store, Cache, "other", "two\n");
        _store.SetName("app", second.ManifestDescriptor with { Platform = null });
        Assert.Equal(second.ManifestDigest.ToString(), _store.Find("app")?.Descriptor.Digest);
        Assert.Equal(2, _store.List().Count);

        var config = await StoreImages.WriteBytesAsync(_store, MediaTypes.OciConfig, """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray());
        var manifest = await StoreImages.WriteBytesAsync(_store, MediaTypes.OciManifest, Encoding.UTF8.GetBytes(
            $$"""{"schemaVersion":2,"mediaType":"{{MediaTypes.OciManifest}}","config":{"mediaType":"{{MediaTypes.OciConfig}}","digest":"{{config.Digest}}","size":{{config.Size}}},"layers":[]}"""));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        _store.SetName("undated:1", manifest);
        var created = _store.Find("undated:1")!.Created;
        Assert.InRange(created, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.NotEqual(first.ManifestDigest.ToString(), _store.Find("app")!.Descriptor.Digest);
    }

    [Fact]
    public async Task AnIndexIsStoredWithEveryPlatformAndItsIdIsThisMachinesConfig()
    {
        var here = StoreImages.Build(Cache, "here\n");
        var index = MultiPlatformImage.Create([here]);
        await StoreImages.WriteBlobsAsync(_store, here);
        var indexDescriptor = await StoreImages.WriteBytesAsync(_store, index.Descriptor.MediaType, index.IndexBytes);
        _store.SetName("multi:1", indexDescriptor);
        var summary = Assert.Single(_store.Summaries());
        Assert.Equal(here.ConfigDigest, summary.ImageId);
        Assert.Equal(index.Digest.ToString(), summary.Entry.Descriptor.Digest);
        Assert.Equal(StoreImages.Epoch, summary.Entry.Created);
    }

    [Fact]
    public async Task NamingAnImageWhoseBlobsAreMissingIsRefusedAndLeavesTheIndexAlone()
    {
        await StoreImages.AddAsync(_store, Cache, "kept", "kept\n");
        var image = StoreImages.Build(Cache, "partial\n");
        await _store.WriteBlobAsync(image.ManifestDescriptor with { Platform = null }, new MemoryStream(image.ManifestBytes), CancellationToken.None);
        var before = File.ReadAllBytes(Path.Combine(_store.Root, "index.json"));

        var e = Assert.Throws<DockyardException>(() => _store.SetName("partial", image.ManifestDescriptor with { Platform = null }));
        Assert.Contains("is not in the store", e.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_store.Root, "index.json")));
        Assert.Throws<DockyardException>(() => _store.SetName("app@" + image.ManifestDigest, image.ManifestDescriptor));
    }

    [Fact]
    public async Task ABlobThatDoesNotMatchItsDescriptorIsRejectedAndLeavesNothing()
    {
        var bytes = "real content"u8.ToArray();
        var descriptor = new Descriptor { MediaType = MediaTypes.OciLayerGzip, Digest = Digest.Sha256(bytes).ToString(), Size = bytes.Length };
        var wrong = await Assert.ThrowsAsync<DockyardException>(() => _store.WriteBlobAsync(descriptor, new MemoryStream("fake content"u8.ToArray()), CancellationToken.None));
        Assert.Contains(descriptor.Digest, wrong.Message);
        await Assert.ThrowsAsync<DockyardException>(() => _store.WriteBlobAsync(descriptor with { Size = 3 }, new MemoryStream(bytes), CancellationToken.None));
        Assert.False(_store.HasBlob(Digest.Sha256(bytes)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_store.Root, ".tmp")));
        await Assert.ThrowsAsync<DockyardException>(() => _store.OpenBlobAsync(descriptor, CancellationToken.None));

        await _store.WriteBlobAsync(descriptor, new MemoryStream(bytes), CancellationToken.None);
        await _store.WriteBlobAsync(descriptor, new MemoryStream(bytes), CancellationToken.None);
        Assert.True(_store.HasBlob(Digest.Sha256(bytes)));
    }

    [Fact]
    public async Task RemovingANameCollectsOnlyTheBlobsNoOtherNameReaches()
    {
        var one = await StoreImages.AddAsync(_store, Cache, "one", "one\n");
        var two = await StoreImages.AddAsync(_store, Cache, "two", "two\n");
        _store.SetName("two:alias", two.ManifestDescriptor with { Platform = null });
        var orphan = await StoreImages.WriteBytesAsync(_store, MediaTypes.OciLayerGzip, "orphan"u8.ToArray());

        var removal = _store.Remove("one")!;
        Assert.Equal(["docker.io/library/one:latest"], removal.Untagged);
        Assert.Equal([one.ConfigDigest], removal.DeletedImages);
        Assert.Equal(4, removal.BlobsCollected); // manifest, config, app layer of "one" and the orphan; the shared base stays
        var left = StoreImages.VerifiedBlobs(_store);
        Assert.DoesNotContain(one.ManifestDigest.ToString(), left);
        Assert.DoesNotContain(orphan.Digest, left);
        Assert.Contains(one.Layers[0].Descriptor.Digest, left);
        Assert.All(two.Layers, l => Assert.Contains(l.Descriptor.Digest, left));

        Assert.False(_store.RemoveName("one"));
        var shared = Assert.Throws<DockyardException>(() => _store.RemoveName(two.ConfigDigest.Hex[..12]));
        Assert.Contains("referenced by 2 names", shared.Message);
        Assert.True(_store.RemoveName("two"));
        Assert.Equal("docker.io/library/two:alias", Assert.Single(_store.List()).Name);
        var forced = _store.Remove(two.ConfigDigest.ToString(), force: true)!;
        Assert.Equal([two.ConfigDigest], forced.DeletedImages);
        Assert.Empty(_store.List());
        Assert.Empty(StoreImages.VerifiedBlobs(_store));
    }

    [Fact]
    public async Task RecentlyWrittenUnnamedBlobsSurviveACollectionWithTheDefaultGrace()
    {
        var store = new LocalImageStore(_store.Root);
        await StoreImages.AddAsync(store, Cache, "one", "one\n");
        var pending = await StoreImages.WriteBytesAsync(store, MediaTypes.OciLayerGzip, "being written by another process"u8.ToArray());
        var removal = store.Remove("one")!;
        Assert.Equal(0, removal.BlobsCollected);
        Assert.Contains(pending.Digest, StoreImages.VerifiedBlobs(store));
    }

    [Fact]
    public async Task ConcurrentWritersFromManyTasksLoseNoNameAndCorruptNoBlob()
    {
        var images = Enumerable.Range(0, 6).Select(i => StoreImages.Build(Cache, $"task {i}\n")).ToList();
        await Task.WhenAll(images.Select((image, i) => Task.Run(async () =>
        {
            var store = new LocalImageStore(_store.Root);
            await StoreImages.WriteBlobsAsync(store, image);
            for (var tag = 0; tag < 5; tag++)
            {
                store.SetName($"app{i}:{tag}", image.ManifestDescriptor with { Platform = null });
                store.SetName("shared:latest", image.ManifestDescriptor with { Platform = null });
            }
        })));

        var names = _store.List().Select(e => e.Name).ToHashSet();
        Assert.Equal(31, names.Count);
        Assert.Contains("docker.io/library/shared:latest", names);
        for (var i = 0; i < images.Count; i++)
            Assert.Equal(images[i].ManifestDigest.ToString(), _store.Find($"app{i}:4")!.Descriptor.Digest);
        Assert.Equal(images.Count * 3 + 1, StoreImages.VerifiedBlobs(_store).Count); // manifest, config, app layer each; one shared base
    }

    [Fact]
    public async Task TwoProcessesTaggingAtOnceLoseNoName()
    {
        await StoreImages.AddAsync(_store, Cache, "source", "source\n");
        // the CLI's own build output (the test folder's copy lacks the CLI's runtime configuration)
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = bin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var cli = Path.Combine(root, "src", "Dockyard.Cli", "bin", bin.Parent.Name, bin.Name, Path.GetFileName(typeof(Dockyard.Cli.Program).Assembly.Location));
        Assert.True(File.Exists(cli), cli);
        async Task Loop(string prefix)
        {
            for (var i = 0; i < 6; i++)
                (await ProcessRunner.RunAsync("dotnet", [cli, "image", "tag", "--store", _store.Root, "source", $"{prefix}:{i}"])).EnsureSuccess("dockyard image tag");
        }
        await Task.WhenAll(Loop("left"), Loop("right"));
        var names = _store.List().Select(e => e.Name).ToList();
        Assert.Equal(13, names.Count);
        Assert.Equal(13, names.Distinct().Count());
    }

    [Fact]
    public async Task ALockHeldByAnotherProcessIsWaitedForAndACrashedHolderLeavesTheStoreUsable()
    {
        var image = await StoreImages.AddAsync(_store, Cache, "app", "app\n");
        var descriptor = image.ManifestDescriptor with { Platform = null };
        var lockFile = Path.Combine(_store.Root, ".lock");

        // a live holder: the change waits for the lock, and fails with a clear message past the bounded wait
        using (var holder = System.Diagnostics.Process.Start("flock", ["-x", "-o", lockFile, "sleep", "60"]))
        {
            var impatient = new LocalImageStore(_store.Root) { LockTimeout = TimeSpan.FromMilliseconds(300) };
            WaitUntilHeld(lockFile);
            var e = Assert.Throws<DockyardException>(() => impatient.SetName("blocked", descriptor));
            Assert.Contains(lockFile, e.Message);
            Assert.Contains("another process", e.Message);

            // the holder crashes (SIGKILL) mid-change: the kernel drops its lock, leftovers of its writes stay behind
            // (-o: only flock itself holds the lock, not its sleeping child)
            holder.Kill(entireProcessTree: true);
            await holder.WaitForExitAsync();
        }
        File.WriteAllText(Path.Combine(_store.Root, ".tmp", "index.json.crashed"), "{\"schemaVersion\":2,\"manif");
        File.WriteAllText(Path.Combine(_store.Root, ".tmp", image.ConfigDigest.Hex + ".crashed"), "half a blob");
        File.SetLastWriteTimeUtc(Path.Combine(_store.Root, ".tmp", image.ConfigDigest.Hex + ".crashed"), DateTime.UtcNow.AddDays(-2));

        _store.SetName("after-crash", descriptor);
        Assert.Equal(2, _store.List().Count);
        Assert.Equal(StoreImages.Epoch, _store.Find("after-crash")!.Created);
        _store.RemoveName("after-crash");
        Assert.False(File.Exists(Path.Combine(_store.Root, ".tmp", image.ConfigDigest.Hex + ".crashed")));
        Assert.True(File.Exists(Path.Combine(_store.Root, ".tmp", "index.json.crashed"))); // young: maybe still being written
        Assert.Equal(image.ManifestDigest.ToString(), _store.Find("app")!.Descriptor.Digest);
    }

    [Fact]
    public async Task AWriteThatFailsMidwayLeavesNoPartialBlob()
    {
        var image = StoreImages.Build(Cache, "big\n");
        var layer = image.Layers[1].Descriptor;
        await Assert.ThrowsAnyAsync<IOException>(() => _store.WriteBlobAsync(layer, new FailingStream(), CancellationToken.None));
        Assert.False(_store.HasBlob(Digest.Parse(layer.Digest)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_store.Root, ".tmp")));
        await StoreImages.WriteBlobsAsync(_store, image);
        _store.SetName("after-failure", image.ManifestDescriptor with { Platform = null });
        Assert.NotNull(_store.Find("after-failure"));
    }

    [Fact]
    public void ADamagedIndexIsReportedWithItsPath()
    {
        Directory.CreateDirectory(_store.Root);
        File.WriteAllText(Path.Combine(_store.Root, "index.json"), "{not json");
        var e = Assert.Throws<DockyardException>(() => _store.List());
        Assert.Contains(Path.Combine(_store.Root, "index.json"), e.Message);
    }

    private static void WaitUntilHeld(string lockFile)
    {
        // flock starts asynchronously: wait until its lock is really held
        for (var attempt = 0; attempt < 300; attempt++)
        {
            try
            {
                using (new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)) { }
            }
            catch (IOException)
            {
                return;
            }
            Thread.Sleep(100);
        }
        throw new Xunit.Sdk.XunitException("flock never took the lock");
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) =>
            _reads++ == 0 ? 1 : throw new IOException("the network dropped");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
