using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.MSBuild;

/// <summary>-t:CiList with the trigger properties (CiPipelineSource, CiPush, CiKubernetesActive, CiGitLabFeatures) in a real SDK build.</summary>
public sealed class MSBuildPipelineTriggerTests
{
    [Fact]
    public async Task The_trigger_properties_reach_the_pipeline_and_a_bad_value_is_an_error_naming_the_property()
    {
        using var project = await SdkTestProject.CreateAsync("msbuild-trigger");
        project.WriteFile(".gitlab-ci.yml", """
            nightly:
              rules:
                - if: $CI_PIPELINE_SOURCE == "schedule" && $CI_COMMIT_BEFORE_SHA == "0000000000000000000000000000000000000000"
              script: [x]
            deploy:
              only:
                kubernetes: active
              script: [x]
            sast:
              rules:
                - if: $GITLAB_FEATURES =~ /\bsast\b/
              script: [x]
            """);

        var plain = await project.DotnetAsync("build", "--no-restore", "-t:CiList");
        Assert.True(plain.ExitCode == 0, plain.StandardOutput + plain.StandardError);
        Assert.Matches(@"nightly\s+test\s+never", plain.StandardOutput);
        Assert.Matches(@"deploy\s+test\s+never", plain.StandardOutput);

        var mapped = await project.DotnetAsync("build", "--no-restore", "-t:CiList", "-p:CiPipelineSource=schedule",
            "-p:CiKubernetesActive=true", "-p:CiGitLabFeatures=sast");
        Assert.True(mapped.ExitCode == 0, mapped.StandardOutput + mapped.StandardError);
        Assert.Matches(@"nightly\s+test\s+on_success", mapped.StandardOutput);
        Assert.Matches(@"deploy\s+test\s+on_success", mapped.StandardOutput);
        Assert.Matches(@"sast\s+test\s+on_success", mapped.StandardOutput);

        var bad = await project.DotnetAsync("build", "--no-restore", "-t:CiList", "-p:CiPipelineSource=schedule", "-p:CiPush=new");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("error DY1000: push kind 'new' applies to push pipelines, not to a schedule pipeline", bad.StandardOutput);
        Assert.Contains("(property: CiPush)", bad.StandardOutput);
    }
}
