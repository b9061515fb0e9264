using Dockyard.Cli.Commands;
using Dockyard.Registries.Transfer;

namespace Dockyard.Tests.Registries.Transfer;

/// <summary>How the CLI prints a resumed chunked upload.</summary>
public sealed class ResumeProgressTests
{
    [Fact]
    public void A_resume_prints_the_offset_the_total_and_why()
    {
        using var output = new StringWriter();
        new ProgressPrinter(output).Report(new TransferProgress(TransferEventKind.BlobResumed, "127.0.0.1:5000/app",
            "sha256:0123456789abcdef0123", 5L << 20, 11L << 20, "resume 1 of 5 after HTTP 416 for bytes 5242880-10485759"));

        Assert.Equal("sha256:0123456789ab: resuming at 5 MiB of 11 MiB (resume 1 of 5 after HTTP 416 for bytes 5242880-10485759)",
            output.ToString().TrimEnd());
    }
}
