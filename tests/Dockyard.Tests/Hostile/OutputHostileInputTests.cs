using System.Diagnostics;
using System.Formats.Tar;
using Dockyard.FileSystem;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// File outputs of <c>dockyard build</c> (real CLI, native backend, <c>FROM scratch</c>) never replace what is not a
/// regular file: FIFOs and character devices are streamed into and stay what they were, <c>dest=-</c> is standard
/// output, links, directories and damaged layouts are refused before anything is written.
/// </summary>
public sealed class OutputHostileInputTests : IDisposable
{
    private readonly HostileCli _cli = new();
    private readonly TempDirectory _context = new("hostile-output");

    public OutputHostileInputTests()
    {
        _context.WriteFile("f.txt", "hi\n");
        _context.WriteFile("Dockerfile", "FROM scratch\nCOPY f.txt /\n");
    }

    public void Dispose()
    {
        _cli.Dispose();
        _context.Dispose();
    }

    private Task<HostileRun> BuildAsync(string output) => _cli.RunAsync(["build", _context.Path, "-t", "example.test/app:1", "--output", output]);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(program, arguments);
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(" ", arguments)} failed");
    }

    private static List<string> TarEntries(byte[] archive)
    {
        using var reader = new TarReader(new MemoryStream(archive));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    private static void AssertRefusedOutput(HostileRun run, string expected)
    {
        HostileCli.AssertRefused(run, expected);
        Assert.Matches(@"(?m)^error DY\d{4}: ", run.StandardError);
    }

    [Theory]
    [InlineData("oci-archive")]
    [InlineData("docker-archive")]
    public async Task A_character_device_is_written_into_and_stays_a_device(string type)
    {
        // As root, a private null device (never the machine's /dev/null, should the fix regress); else /dev/null itself.
        var device = "/dev/null";
        if (Environment.IsPrivilegedProcess)
        {
            device = _context.Combine("null");
            await RunAsync("mknod", device, "c", "1", "3");
        }

        var run = await BuildAsync($"type={type},dest={device}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(FileKind.CharacterDevice, FileKindProbe.Of(device));
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(_context.Path), p => Path.GetFileName(p).StartsWith('.'));
    }

    [Fact]
    public async Task A_full_device_is_one_clear_error()
    {
        var device = "/dev/full";
        if (Environment.IsPrivilegedProcess)
        {
            device = _context.Combine("full");
            await RunAsync("mknod", device, "c", "1", "7");
        }

        var run = await BuildAsync($"type=oci-archive,dest={device}");

        AssertRefusedOutput(run, "cannot write to");
        Assert.Equal(FileKind.CharacterDevice, FileKindProbe.Of(device));
    }

    [Theory]
    [InlineData("oci-archive", "index.json")]
    [InlineData("docker-archive", "manifest.json")]
    public async Task A_fifo_receives_the_archive_and_stays_a_fifo(string type, string entry)
    {
        var fifo = _context.Combine("pipe");
        await RunAsync("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllBytes(fifo));

        var run = await BuildAsync($"type={type},dest={fifo}");

        if (!reader.IsCompleted)
            await using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { } // unblock the reader: the run never opened the FIFO
        var archive = await reader;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(entry, TarEntries(archive));
        Assert.Equal(FileKind.Fifo, FileKindProbe.Of(fifo));
    }

    [Theory]
    [InlineData("oci-archive", "index.json")]
    [InlineData("docker-archive", "manifest.json")]
    public async Task Dash_writes_the_archive_to_standard_output(string type, string entry)
    {
        var run = await BuildAsync($"type={type},dest=-");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(entry, TarEntries(run.StandardOutputBytes));
        Assert.Contains("example.test/app:1@sha256:", run.StandardError);
        Assert.Empty(Directory.EnumerateFileSystemEntries(run.WorkingDirectory));
    }

    [Fact]
    public async Task Dash_is_refused_for_a_layout_directory()
    {
        var run = await BuildAsync("type=oci,dest=-");

        AssertRefusedOutput(run, "cannot go to standard output");
    }

    [Theory]
    [InlineData("oci-archive")]
    [InlineData("docker-archive")]
    public async Task A_symbolic_link_is_refused_and_its_target_untouched(string type)
    {
        var target = _context.WriteFile("target.txt", "precious");
        var link = _context.Combine("out.tar");
        File.CreateSymbolicLink(link, target);

        var run = await BuildAsync($"type={type},dest={link}");

        AssertRefusedOutput(run, "is a symbolic link");
        Assert.Equal(FileKind.SymbolicLink, FileKindProbe.Of(link));
        Assert.Equal("precious", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task A_directory_is_refused_as_an_archive()
    {
        var directory = Directory.CreateDirectory(_context.Combine("dir")).FullName;

        var run = await BuildAsync($"type=oci-archive,dest={directory}");

        AssertRefusedOutput(run, "is a directory");
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public async Task A_regular_file_is_replaced_whole_with_no_scratch_left()
    {
        var file = _context.WriteFile("out/image.tar", "old");

        var run = await BuildAsync($"type=oci-archive,dest={file}");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("index.json", TarEntries(await File.ReadAllBytesAsync(file)));
        Assert.Equal(["image.tar"], Directory.EnumerateFileSystemEntries(_context.Combine("out")).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\": 2, \"manifests\": null}")]
    [InlineData("[]")]
    [InlineData("{\"manifests\": [1]}")]
    public async Task A_layout_with_an_invalid_index_is_refused_before_any_blob(string index)
    {
        var layout = _context.Combine("layout");
        _context.WriteFile("layout/index.json", index);

        var run = await BuildAsync($"type=oci,dest={layout}");

        AssertRefusedOutput(run, "index.json");
        Assert.False(Directory.Exists(Path.Combine(layout, "blobs")), "a blob was written");
        Assert.Equal(index, await File.ReadAllTextAsync(Path.Combine(layout, "index.json")));
    }
}
