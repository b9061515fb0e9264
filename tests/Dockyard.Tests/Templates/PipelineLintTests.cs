using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Templates;

/// <summary><c>dockyard ci lint</c> accepts the sample's pipeline and every template's pipeline as it is in the repository.</summary>
public sealed class PipelineLintTests
{
    [Theory]
    [InlineData("samples/webapp")]
    [InlineData("templates/content/webapi")]
    [InlineData("templates/content/worker")]
    public async Task The_pipeline_lints_clean(string directory)
    {
        var lint = await TemplatePack.DockyardAsync(Path.Combine(PackageFeed.RepositoryRoot, directory), "ci", "lint");

        Assert.True(lint.ExitCode == 0, lint.StandardOutput + lint.StandardError);
    }
}
