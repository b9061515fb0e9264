using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cake;

/// <summary>GitLabPipelineSettings' trigger settings in the real <c>dotnet cake</c> with the packed addin.</summary>
public sealed class CakePipelineTriggerTests
{
    [Fact]
    public async Task The_trigger_settings_reach_the_pipeline_and_a_bad_value_names_the_setting()
    {
        using var dir = new TempDirectory("cake-trigger");
        dir.WriteFile(".gitlab-ci.yml", """
            build:
              script: [x]
            nightly:
              rules:
                - if: $CI_PIPELINE_SOURCE == "schedule"
              script: [x]
            deploy:
              only:
                kubernetes: active
              script: [x]
            """);
        var script = $$"""
            {{CakeScriptRunner.AddinDirective}}
            var plain = LoadGitLabPipeline();
            Information("plain: " + string.Join(",", plain.Jobs.Where(j => j.When != "never").Select(j => j.Name)));
            var settings = new GitLabPipelineSettings().WithPipelineSource("schedule");
            settings.KubernetesActive = true;
            var mapped = LoadGitLabPipeline(settings);
            Information("mapped: " + string.Join(",", mapped.Jobs.Where(j => j.When != "never").Select(j => j.Name)));
            LoadGitLabPipeline(new GitLabPipelineSettings().WithPipelineSource("nightly"));
            """;

        var result = await CakeScriptRunner.RunAsync(dir, script);
        var output = result.StandardOutput + result.StandardError;
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(output, "plain: build(?![,\\w])"), output);
        Assert.True(output.Contains("mapped: build,nightly,deploy", StringComparison.Ordinal), output);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pipeline source 'nightly' is not one of push, merge_request_event, schedule, web, api, trigger", output);
        Assert.Contains("(setting: GitLabPipelineSettings.PipelineSource)", output);
        Assert.DoesNotContain("   at ", output);
    }
}
