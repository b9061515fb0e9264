using Dockyard.Diagnostics;
using Dockyard.Jobs.Docker;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Jobs;
using Dockyard.Tests.Infrastructure;
using Dockyard.Tests.Pipelines;

namespace Dockyard.Tests.Jobs.Docker;

/// <summary>image: and services: names and aliases expanded with the job's variables, as the runner's expandContainerOptions.</summary>
public sealed class JobImageExpansionTests : IDisposable
{
    private readonly TempDirectory _files = new("image-expansion");

    public void Dispose() => _files.Dispose();

    private JobEnvironment Environment(params JobVariable[] external) =>
        new JobEnvironmentBuilder(_files.Combine("variables"))
            .AddPredefined(new Dictionary<string, string> { ["CI_REGISTRY"] = "registry.example.com", ["CI_PROJECT_PATH"] = "group/app" })
            .AddYaml(new Dictionary<string, PipelineVariable>
            {
                ["CI_REGISTRY_IMAGE"] = new("$CI_REGISTRY/$CI_PROJECT_PATH"),
                ["LITERAL"] = new("$CI_REGISTRY", Expand: false),
                ["EMPTY"] = new(""),
            })
            .AddDotenv([new KeyValuePair<string, string>("SVC_FROM_DOTENV", "redis:7")])
            .AddExternal(external)
            .Build();

    private static Job Job(string yaml) => PipelineFixture.Load(yaml).Job("job");

    [Fact]
    public void Image_name_is_expanded_with_the_jobs_resolved_variables()
    {
        var job = Job("job:\n  image: $CI_REGISTRY_IMAGE/ci:${TAG}\n  script: [x]\n");
        var image = JobImageExpansion.Expand(job.Image!, Environment(new JobVariable("TAG", "v1")), "job", "image");
        Assert.Equal("registry.example.com/group/app/ci:v1", image.Name);
        Assert.Equal("$CI_REGISTRY_IMAGE/ci:${TAG}", job.Image!.Name); // the resolved job is not changed
    }

    [Fact]
    public void Service_names_and_aliases_are_expanded_with_dotenv_masked_and_file_variables_too()
    {
        var job = Job("job:\n  image: alpine\n  services:\n    - name: $SVC_FROM_DOTENV\n      alias: \"$SVC_ALIAS, cache\"\n      command: [\"$NOT_EXPANDED\"]\n    - name: \"${SECRET_IMAGE}\"\n      alias: $CREDENTIALS\n  script: [x]\n");
        var environment = Environment(new JobVariable("SVC_ALIAS", "kv"), new JobVariable("SECRET_IMAGE", "registry.example.com/secret:1", Masked: true),
            new JobVariable("CREDENTIALS", "file content", IsFile: true));
        var first = JobImageExpansion.Expand(job.Services[0], environment, "job", "services");
        var second = JobImageExpansion.Expand(job.Services[1], environment, "job", "services");
        Assert.Equal("redis:7", first.Name);
        Assert.Equal("kv, cache", first.Alias);
        Assert.Equal(["$NOT_EXPANDED"], first.Command!);
        Assert.Equal("registry.example.com/secret:1", second.Name);
        Assert.Equal(_files.Combine("variables/CREDENTIALS"), second.Alias); // a file variable gives its path, as in the runner
    }

    [Fact]
    public void Values_are_inserted_as_the_job_sees_them_without_a_second_expansion()
    {
        var job = Job("job:\n  image: \"$LITERAL/tool:1\"\n  script: [x]\n");
        Assert.Equal("$CI_REGISTRY/tool:1", JobImageExpansion.Expand(job.Image!, Environment(), "job", "image").Name);
    }

    [Fact]
    public void Docker_options_entrypoint_and_names_without_references_stay_as_written()
    {
        var job = Job("job:\n  image: {name: alpine:3, entrypoint: [\"$X\"], docker: {user: \"$USER_ID\", platform: \"$ARCH\"}}\n  script: [x]\n");
        var image = JobImageExpansion.Expand(job.Image!, Environment(new JobVariable("USER_ID", "1000"), new JobVariable("ARCH", "linux/arm64")), "job", "image");
        Assert.Same(job.Image, image);
        Assert.Equal("$USER_ID", image.DockerUser);
        Assert.Equal("$ARCH", image.DockerPlatform);
    }

    [Fact]
    public void A_name_empty_after_expansion_is_an_error_at_its_yaml_location_naming_the_job_and_the_variables()
    {
        var job = Job("job:\n  image: alpine\n  services:\n    - name: \"$MISSING$EMPTY\"\n  script: [x]\n");
        var ex = Assert.Throws<SourceException>(() => JobImageExpansion.Expand(job.Services[0], Environment(), "job", "services"));
        ex.At(4, 13);
        Assert.Contains("job 'job': the services name '$MISSING$EMPTY' is empty after expanding the job's variables (MISSING is not set, EMPTY is empty)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("the variables file", ex.Message, StringComparison.Ordinal);

        var scalar = Job("job:\n  image: $NOPE\n  script: [x]\n");
        var image = Assert.Throws<SourceException>(() => JobImageExpansion.Expand(scalar.Image!, Environment(), "job", "image"));
        image.At(2, 10);
        Assert.Contains("the image name '$NOPE' is empty", image.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_before_the_run_uses_predefined_yaml_and_given_variables_but_no_file_content()
    {
        var job = Job("job:\n  image: $TOOL/$CI_JOB_NAME:$TAG$FILE\n  variables:\n    TOOL: $TOOL_REGISTRY/tools\n  script: [x]\n");
        var name = JobImageExpansion.NameBeforeRun(job, new Dictionary<string, string> { ["CI_PROJECT_PATH"] = "group/app" },
            [new JobVariable("TOOL_REGISTRY", "registry.example.com"), new JobVariable("TAG", "1"), new JobVariable("FILE", "secret content", IsFile: true)]);
        Assert.Equal("registry.example.com/tools/job:1", name);
        Assert.Null(JobImageExpansion.NameBeforeRun(Job("job:\n  script: [x]\n"), new Dictionary<string, string>(), []));
    }
}
