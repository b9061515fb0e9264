using Dockyard.Cli;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Backends;

/// <summary><c>dockyard backends</c> through <see cref="Program.Run"/> against the real dockerd fixture and buildah.</summary>
[Collection(DockerDaemonCollection.Name)]
public sealed class BackendsCommandTests(DockerDaemon daemon)
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void ReportsTheRunningDaemonAndBuildah()
    {
        var (code, output, errors) = Run("backends", "--docker-host", daemon.Host);
        Assert.Equal(0, code);
        Assert.Equal("", errors);
        Assert.Contains($"docker: available (Docker daemon 20.10", output, StringComparison.Ordinal);
        Assert.Contains($"at {daemon.Host})", output, StringComparison.Ordinal);
        Assert.Contains("buildah: available (buildah 1.", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SaysWhatIsMissingAndFailsWhenNothingCanBuild()
    {
        using var dir = new TempDirectory("cli-backends");
        var (code, output, errors) = Run("backends", "--docker-host", $"unix://{dir.Combine("dead.sock")}", "--buildah", dir.Combine("buildah"));
        Assert.Equal(1, code);
        Assert.Contains($"docker: missing (no Docker daemon answers at unix://{dir.Combine("dead.sock")}", output, StringComparison.Ordinal);
        Assert.Contains("to fix: start dockerd, or set DOCKER_HOST", output, StringComparison.Ordinal);
        Assert.Contains($"buildah: missing (buildah ('{dir.Combine("buildah")}') is not on PATH)", output, StringComparison.Ordinal);
        Assert.Contains("No container backend can build here", errors, StringComparison.Ordinal);
    }
}
