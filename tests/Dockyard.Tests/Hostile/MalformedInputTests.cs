using System.Security.Cryptography;
using System.Text;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// The "every malformed input gets a clear error" classes of issue 14 that earlier suites do not cover, each through
/// the real CLI: damaged tars in <c>ADD</c>, garbage and truncated <c>docker-archive:</c> inputs, OCI layouts with
/// <c>null</c> manifests or config, a needs cycle within one stage, response files. Each ends with one
/// <c>error DY####:</c> line naming the file:line:column or the image, exit 1, no stack frame, nothing written.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MalformedInputTests : IDisposable
{
    private readonly HostileCli _cli = new();
    private readonly TempDirectory _input = new("hostile-malformed");

    public void Dispose()
    {
        _cli.Dispose();
        _input.Dispose();
    }

    private static void AssertShape(HostileRun run, string expected)
    {
        HostileCli.AssertRefused(run, expected);
        Assert.Matches(@"(?m)^error DY\d{4}: ", run.StandardError);
    }

    private static byte[] Tar()
    {
        var tar = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "big") { DataStream = new MemoryStream(RandomNumberGenerator.GetBytes(300_000)) });
            writer.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, "f.txt") { DataStream = new MemoryStream("hi\n"u8.ToArray()) });
        }
        return tar.ToArray();
    }

    private Task<HostileRun> BuildAsync(string dockerfile)
    {
        _input.WriteFile("f.txt", "hi\n");
        _input.WriteFile("Dockerfile", dockerfile);
        return _cli.RunAsync(["build", _input.Path, "--output", $"type=oci,dest={_input.Combine("out")}"]);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(5_000)]
    [InlineData(200_000)]
    public async Task A_truncated_tar_in_ADD_is_a_located_error(int keep)
    {
        File.WriteAllBytes(_input.Combine("t.tar"), Tar()[..keep]);

        var run = await BuildAsync("FROM scratch\nADD t.tar /\n");

        AssertShape(run, "Dockerfile:2:1: archive t.tar is damaged");
        Assert.False(Directory.Exists(_input.Combine("out")), "an output was written");
    }

    [Fact]
    public async Task A_truncated_gzip_tar_in_ADD_is_a_located_error()
    {
        var gz = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Tar());
        File.WriteAllBytes(_input.Combine("t.tar.gz"), gz.ToArray()[..(int)(gz.Length / 2)]);

        var run = await BuildAsync("FROM scratch\nADD t.tar.gz /\n");

        AssertShape(run, "Dockerfile:2:1: archive t.tar.gz is damaged");
    }

    [Fact]
    public async Task A_garbage_docker_archive_base_names_the_image()
    {
        File.WriteAllBytes(_input.Combine("garbage.tar"), RandomNumberGenerator.GetBytes(3000));

        var run = await BuildAsync($"FROM docker-archive:{_input.Combine("garbage.tar")}\nCOPY f.txt /\n");

        AssertShape(run, "garbage.tar: the file is not a valid tar archive");
        Assert.False(Directory.Exists(_input.Combine("out")), "an output was written");
    }

    [Theory]
    [InlineData("docker-archive", 2)]
    [InlineData("docker-archive", 3)]
    [InlineData("oci-archive", 2)]
    public async Task A_truncated_archive_names_the_image(string type, int fraction)
    {
        _input.WriteFile("big.bin", Convert.ToBase64String(RandomNumberGenerator.GetBytes(300_000)));
        _input.WriteFile("Dockerfile", "FROM scratch\nCOPY big.bin /\n");
        var archive = _input.Combine("image.tar");
        var built = await _cli.RunAsync(["build", _input.Path, "-t", "example.test/app:1", "--output", $"type={type},dest={archive}"]);
        Assert.True(built.ExitCode == 0, built.ToString());
        var bytes = File.ReadAllBytes(archive);
        File.WriteAllBytes(archive, bytes[..(bytes.Length / fraction)]);

        var run = await _cli.RunAsync(["image", "copy", $"{type}:{archive}", $"oci:{_input.Combine("out")}"]);

        AssertShape(run, $"{type}:{archive}");
        Assert.False(File.Exists(_input.Combine("out", "index.json")), "an index was written");
    }

    private string Layout(string manifest)
    {
        var layout = _input.Combine("layout");
        Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
        File.WriteAllText(Path.Combine(layout, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        var bytes = Encoding.UTF8.GetBytes(manifest);
        var digest = Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", digest), bytes);
        File.WriteAllText(Path.Combine(layout, "index.json"),
            $$"""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:{{digest}}","size":{{bytes.Length}}}]}""");
        return layout;
    }

    [Fact]
    public async Task An_OCI_layout_whose_manifests_are_null_is_damaged()
    {
        var layout = Layout("{}");
        File.WriteAllText(Path.Combine(layout, "index.json"), """{"schemaVersion":2,"manifests":null}""");

        var run = await _cli.RunAsync(["image", "copy", $"oci:{layout}", $"oci:{_input.Combine("out")}"]);

        AssertShape(run, "index.json: the image index has no \"manifests\" list; it is damaged");
    }

    [Theory]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":null,"layers":[]}""", "the manifest has no \"config\" descriptor")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:../../../../etc/passwd","size":10},"layers":[]}""", "sha256:../../../../etc/passwd")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"md5:d41d8cd98f00b204e9800998ecf8427e","size":10},"layers":[]}""", "md5:")]
    public async Task An_OCI_layout_with_a_damaged_manifest_is_refused(string manifest, string expected)
    {
        var layout = Layout(manifest);

        var run = await _cli.RunAsync(["image", "inspect", $"oci:{layout}"]);

        AssertShape(run, expected);
    }

    [Fact]
    public async Task A_needs_cycle_within_one_stage_is_circular()
    {
        _input.WriteFile(".gitlab-ci.yml", "a:\n  script: [x]\n  needs: [b]\nb:\n  script: [x]\n  needs: [c]\nc:\n  script: [x]\n  needs: [a]\n");

        var run = await _cli.RunAsync(["ci", "lint", "--cwd", _input.Path]);

        AssertShape(run, "error DY1000: .gitlab-ci.yml:9:11: The pipeline has circular dependencies: a → b → c → a.");
    }

    [Fact]
    public async Task A_job_needing_itself_is_circular()
    {
        _input.WriteFile(".gitlab-ci.yml", "a:\n  script: [x]\n  needs: [a]\n");

        var run = await _cli.RunAsync(["ci", "lint", "--cwd", _input.Path]);

        AssertShape(run, "The pipeline has circular dependencies: a → a.");
    }

    [Fact]
    public async Task Needs_in_one_stage_without_a_cycle_stay_valid()
    {
        _input.WriteFile(".gitlab-ci.yml", "a:\n  script: [x]\nb:\n  script: [x]\n  needs: [a]\nc:\n  script: [x]\n  needs: [a, b]\n");

        var run = await _cli.RunAsync(["ci", "lint", "--cwd", _input.Path]);

        Assert.True(run.ExitCode == 0, run.ToString());
    }

    [Fact]
    public async Task A_response_file_is_not_read()
    {
        _input.WriteFile("args.rsp", "PLANTED-SECRET-7f3a\n");

        var run = await _cli.RunAsync(["image", "inspect", "@" + _input.Combine("args.rsp")]);

        HostileCli.AssertRefused(run, "error DY3000: the image", ["PLANTED-SECRET-7f3a"]);
    }

    [Theory]
    [InlineData("f.txt", "Cannot add '{context}/f.txt' to a layer: Access to the path '{context}/f.txt' is denied. Check that the file is readable.")]
    [InlineData("Dockerfile", "Dockerfile' cannot be read (Access to the path '{context}/Dockerfile' is denied)")]
    [InlineData(".dockerignore", ".dockerignore:1:1: the ignore file cannot be read (Access to the path")]
    public async Task An_unreadable_input_file_is_a_clear_error(string file, string expected)
    {
        using var cli = new HostileCli { UserId = 65534 };
        _input.WriteFile("f.txt", "hi\n");
        _input.WriteFile("Dockerfile", "FROM scratch\nCOPY f.txt /\n");
        if (file == ".dockerignore") _input.WriteFile(".dockerignore", "x\n");
        File.SetUnixFileMode(_input.Combine(file), UnixFileMode.None);
        File.SetUnixFileMode(_input.Path, (UnixFileMode)0x1ED);

        var run = await cli.RunAsync(["build", _input.Path, "--output", $"type=oci,dest={Path.Combine(cli.Home, "out")}"]);

        AssertShape(run, expected.Replace("{context}", _input.Path, StringComparison.Ordinal));
        Assert.False(Directory.Exists(Path.Combine(cli.Home, "out")), "an output was written");
    }

    [Fact]
    public async Task An_unreadable_include_is_a_clear_error()
    {
        using var cli = new HostileCli { UserId = 65534 };
        _input.WriteFile(".gitlab-ci.yml", "include: x.yml\njob:\n  script: [x]\n");
        _input.WriteFile("x.yml", "a:\n  script: [x]\n");
        File.SetUnixFileMode(_input.Combine("x.yml"), UnixFileMode.None);
        File.SetUnixFileMode(_input.Path, (UnixFileMode)0x1ED);

        var run = await cli.RunAsync(["ci", "lint", "--cwd", _input.Path]);

        AssertShape(run, "error DY1000: x.yml:1:1: the file cannot be read (Access to the path");
    }
}
