using System.Text.Json;
using Dockyard.Cli;
using Dockyard.Cli.Commands;
using Dockyard.Images.Stores;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Images.Stores;

/// <summary><c>dockyard image ls|tag|rm</c> end to end through <see cref="Program.Run"/> on a real store directory.</summary>
public sealed class LocalImageCommandsTests : IDisposable
{
    private readonly TempDirectory _work = new("imgcli");
    private readonly LocalImageStore _store;

    public LocalImageCommandsTests() => _store = new LocalImageStore(_work.Combine("images"));

    public void Dispose() => _work.Dispose();

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run([.. args, "--store", _store.Root], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task LsTagAndRmWorkOnTheStoreAsTheirDockerNamesakes()
    {
        var image = await StoreImages.AddAsync(_store, _work.Combine("cache"), "busybox", "hello\n");
        var id = image.ConfigDigest.Hex[..12];

        var tag = Run("image", "tag", "busybox", "127.0.0.1:5000/team/app:1.0");
        Assert.Equal((0, ""), (tag.Code, tag.Err));
        var (code, output, _) = Run("image", "ls");
        Assert.Equal(0, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^REPOSITORY\s{3,}TAG\s{3,}IMAGE ID\s{3,}CREATED\s{3,}SIZE$", lines[0]);
        var size = DockerOutputStyle.Size(image.ManifestBytes.Length + image.ConfigBytes.Length + image.Layers.Sum(l => l.Descriptor.Size));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^busybox\s+latest\s+{id}\s+\d+ years ago\s+{System.Text.RegularExpressions.Regex.Escape(size)}$"));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^127\.0\.0\.1:5000/team/app\s+1\.0\s+{id}\s"));
        var busybox = lines.Single(l => l.StartsWith("busybox ", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("TAG", StringComparison.Ordinal), busybox.IndexOf("latest", StringComparison.Ordinal));
        Assert.Equal(lines[0].IndexOf("IMAGE ID", StringComparison.Ordinal), busybox.IndexOf(id, StringComparison.Ordinal));

        using (var json = JsonDocument.Parse(Run("image", "ls", "--json").Out))
        {
            var names = json.RootElement.EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("id").GetString())).ToList();
            Assert.Contains(("docker.io/library/busybox:latest", image.ConfigDigest.ToString()), names);
        }

        var shared = Run("image", "rm", id);
        Assert.Equal(1, shared.Code);
        Assert.Contains("referenced by 2 names", shared.Err);

        var rm = Run("image", "rm", "busybox");
        Assert.Equal((0, "Untagged: busybox:latest\n"), (rm.Code, rm.Out.Replace("\r", "")));
        var last = Run("image", "rm", "127.0.0.1:5000/team/app:1.0", "nothing:here");
        Assert.Equal(1, last.Code);
        Assert.Equal($"Untagged: 127.0.0.1:5000/team/app:1.0\nDeleted: {image.ConfigDigest}\n", last.Out.Replace("\r", ""));
        Assert.Contains("error DY0001: No such image in the local store", last.Err);
        Assert.Contains("nothing:here", last.Err);
        Assert.Equal("REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n", Run("image", "ls").Out.Replace("\r", ""));
    }

    [Fact]
    public void ErrorsAreOneLineMessagesWithoutStackTraces()
    {
        var missing = Run("image", "tag", "absent", "other");
        Assert.Equal(1, missing.Code);
        Assert.StartsWith("error DY0001: No such image in the local store", missing.Err);
        Assert.DoesNotContain("   at ", missing.Err);
        var invalid = Run("image", "tag", "absent", "Bad Name");
        Assert.Equal(1, invalid.Code);
        Assert.StartsWith("error DY", invalid.Err);
    }

    [Theory]
    [InlineData(0, "0B")]
    [InlineData(999, "999B")]
    [InlineData(1000, "1kB")]
    [InlineData(4_260_000, "4.26MB")]
    [InlineData(1_234_567_890, "1.23GB")]
    public void SizesArePrintedLikeDocker(long bytes, string expected) => Assert.Equal(expected, DockerOutputStyle.Size(bytes));

    [Theory]
    [InlineData(0.5, "Less than a second ago")]
    [InlineData(30, "30 seconds ago")]
    [InlineData(90, "About a minute ago")]
    [InlineData(45 * 60, "45 minutes ago")]
    [InlineData(3600, "About an hour ago")]
    [InlineData(5 * 3600, "5 hours ago")]
    [InlineData(3 * 86400, "3 days ago")]
    [InlineData(20 * 86400, "2 weeks ago")]
    [InlineData(100 * 86400, "3 months ago")]
    [InlineData(3 * 365 * 86400, "3 years ago")]
    public void AgesArePrintedLikeDocker(double seconds, string expected)
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(expected, DockerOutputStyle.Ago(now.AddSeconds(-seconds), now));
    }
}
