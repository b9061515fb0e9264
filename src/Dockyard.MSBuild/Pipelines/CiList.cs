using Dockyard.Hosting;
using Dockyard.Pipelines.Output;
using Dockyard.UseCases;
using Microsoft.Build.Framework;

namespace Dockyard.MSBuild.Pipelines;

/// <summary>Prints the job table of the repository's <c>.gitlab-ci.yml</c> (as <c>dockyard ci list</c>).</summary>
public sealed class CiList : CiTask
{
    /// <inheritdoc />
    protected override async Task RunAsync(HostContext host, CancellationToken cancellationToken)
    {
        var result = await PipelineResolution.RunAsync(host, new PipelineRequest
        {
            ProjectDirectory = CiProjectDirectory is { Length: > 0 } d ? d : null, File = File is { Length: > 0 } f ? f : ".gitlab-ci.yml",
            Trigger = ReadTrigger(),
            GitLabUrl = GitLabUrl is { Length: > 0 } url ? url : null,
        }, cancellationToken);
        foreach (var line in JobTableWriter.Write(result.Pipeline).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Log.LogMessage(MessageImportance.High, "{0}", host.Masker.Mask(line));
    }
}
