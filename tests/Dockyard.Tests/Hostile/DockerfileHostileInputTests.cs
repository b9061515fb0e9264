using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// Hostile Dockerfiles and build options through the real CLI (<c>dockyard build</c>, native backend, <c>FROM scratch</c>):
/// each ends with one error line naming the Dockerfile line or the option, exit 1, and nothing written.
/// </summary>
public sealed class DockerfileHostileInputTests : IDisposable
{
    private readonly HostileCli _cli = new();
    private readonly TempDirectory _context = new("hostile-context");

    public void Dispose()
    {
        _cli.Dispose();
        _context.Dispose();
    }

    private Task<HostileRun> BuildAsync(string dockerfile, params string[] options)
    {
        _context.WriteFile("f.txt", "hi\n");
        _context.WriteFile("Dockerfile", dockerfile);
        return _cli.RunAsync(["build", _context.Path, "--output", $"type=oci,dest={_context.Combine("out")}", .. options]);
    }

    [Fact]
    public async Task A_doubling_ARG_chain_stops_at_the_expansion_limit()
    {
        var dockerfile = "FROM scratch\nARG A=xxxxxxxxxxxxxxxx\n" + string.Concat(Enumerable.Repeat("ARG A=$A$A\n", 30)) + "COPY f.txt /$A\n";

        var run = await BuildAsync(dockerfile);

        HostileCli.AssertRefused(run, "Dockerfile:");
        Assert.Contains("variable expansion produces more than 1 MiB", run.StandardError);
        Assert.False(Directory.Exists(_context.Combine("out")), "an output was written");
    }

    [Fact]
    public async Task A_doubling_ENV_chain_stops_at_the_expansion_limit()
    {
        var dockerfile = "FROM scratch\nENV A=xxxxxxxxxxxxxxxx\n" + string.Concat(Enumerable.Repeat("ENV A=$A$A\n", 30)) + "COPY f.txt /\n";

        var run = await BuildAsync(dockerfile);

        HostileCli.AssertRefused(run, "variable expansion produces more than 1 MiB");
        Assert.False(Directory.Exists(_context.Combine("out")), "an output was written");
    }

    [Theory]
    [InlineData("linux/../../x")]
    [InlineData("")]
    [InlineData("linux/..")]
    [InlineData("linux/amd64/v8/extra")]
    [InlineData("linux/am d64")]
    public async Task A_garbage_platform_names_the_option(string platform)
    {
        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n", "--platform", platform);

        HostileCli.AssertRefused(run, "is not a platform");
        Assert.Contains("--platform", run.StandardError);
        Assert.False(Directory.Exists(_context.Combine("out")), "an output was written");
    }

    [Fact]
    public async Task A_missing_context_names_the_argument()
    {
        var run = await _cli.RunAsync(["build", _context.Combine("nope"), "--output", $"type=oci,dest={_context.Combine("out")}"]);

        HostileCli.AssertRefused(run, "is not a directory");
    }

    [Fact]
    public async Task A_file_option_naming_a_directory_names_the_option()
    {
        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n", "-f", _context.Path);

        HostileCli.AssertRefused(run, "--file");
    }

    [Fact]
    public async Task A_dockerignore_with_an_open_bracket_is_a_located_error()
    {
        _context.WriteFile(".dockerignore", "[\n");

        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n");

        HostileCli.AssertRefused(run, ".dockerignore:1:1: invalid pattern '['");
    }

    [Fact]
    public async Task A_huge_chown_id_is_a_located_error()
    {
        var run = await BuildAsync("FROM scratch\nCOPY --chown=99999999999:-1 f.txt /\n");

        HostileCli.AssertRefused(run, "Dockerfile:2:1: --chown=99999999999:-1");
    }

    [Theory]
    [InlineData("/dev/zero", "is a character device, not a regular file")]
    [InlineData("/dev/null", "is a character device, not a regular file")]
    public async Task A_device_as_Dockerfile_is_refused_without_being_read(string device, string expected)
    {
        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n", "-f", device);

        HostileCli.AssertRefused(run, expected);
        Assert.Contains("--file", run.StandardError);
    }

    [Fact]
    public async Task A_FIFO_as_Dockerfile_is_refused_so_nothing_hangs()
    {
        var fifo = _context.Combine("Dockerfile.fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();

        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n", "-f", fifo);

        HostileCli.AssertRefused(run, "is a FIFO (named pipe), not a regular file");
    }

    [Fact]
    public async Task A_FIFO_as_dockerignore_is_refused_so_nothing_hangs()
    {
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [_context.Combine(".dockerignore")])) await mkfifo.WaitForExitAsync();

        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n");

        HostileCli.AssertRefused(run, ".dockerignore:1:1: the ignore file is a FIFO (named pipe), not a regular file");
        Assert.False(Directory.Exists(_context.Combine("out")), "an output was written");
    }

    [Fact]
    public async Task A_dockerignore_linked_to_dev_zero_is_refused_without_being_read()
    {
        File.CreateSymbolicLink(_context.Combine(".dockerignore"), "/dev/zero");

        var run = await BuildAsync("FROM scratch\nCOPY f.txt /\n");

        HostileCli.AssertRefused(run, "the ignore file is a character device");
    }

    private static System.Text.Json.JsonElement LayoutManifest(string layout, out Func<string, string> blob)
    {
        blob = digest => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        var index = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json"))).RootElement;
        var manifest = index.GetProperty("manifests")[0].GetProperty("digest").GetString()!;
        return System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(blob(manifest))).RootElement;
    }

    [Fact]
    public async Task One_ENV_line_with_20000_pairs_is_built_within_the_safety_bound()
    {
        using var cli = new HostileCli { Watchdog = TimeSpan.FromSeconds(90) };
        _context.WriteFile("f.txt", "hi\n");
        _context.WriteFile("Dockerfile", "FROM scratch\nENV " + string.Join(' ', Enumerable.Range(0, 20_000).Select(i => $"K{i}=v{i}")) + " K0=last\nCOPY f.txt /\n");

        var run = await cli.RunAsync(["build", _context.Path, "--output", $"type=oci,dest={_context.Combine("out")}"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var manifest = LayoutManifest(_context.Combine("out"), out var blob);
        var config = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(blob(manifest.GetProperty("config").GetProperty("digest").GetString()!))).RootElement;
        var env = config.GetProperty("config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(20_001, env.Count);
        Assert.Equal("K0=last", env[1]);
        Assert.Equal("K19999=v19999", env[^1]);
    }

    [Fact]
    public async Task COPY_of_30000_files_is_built_within_the_safety_bound()
    {
        using var cli = new HostileCli { Watchdog = TimeSpan.FromSeconds(90) };
        for (var d = 0; d < 300; d++)
        {
            Directory.CreateDirectory(_context.Combine($"d{d}"));
            for (var f = 0; f < 100; f++) File.WriteAllText(_context.Combine($"d{d}", $"f{f}"), "x");
        }
        _context.WriteFile("Dockerfile", "FROM scratch\nCOPY . /\n");
        _context.WriteFile(".dockerignore", "Dockerfile\n.dockerignore\n");

        var run = await cli.RunAsync(["build", _context.Path, "--output", $"type=oci,dest={_context.Combine("out")}"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        var manifest = LayoutManifest(_context.Combine("out"), out var blob);
        var layer = manifest.GetProperty("layers")[0].GetProperty("digest").GetString()!;
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(blob(layer)), System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        var files = 0;
        while (tar.GetNextEntry() is { } entry) if (entry.EntryType is System.Formats.Tar.TarEntryType.RegularFile) files++;
        Assert.Equal(30_000, files);
    }
}
