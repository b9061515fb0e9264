using Dockyard.Jobs.Docker;
using Dockyard.Jobs.Variables;
using Dockyard.Pipelines.Jobs;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.Docker;

/// <summary>A service container's variables, as the runner's GetServiceVariables builds them.</summary>
public class ServiceEnvironmentTests
{
    private static JobEnvironment Job()
    {
        using var files = new TempDirectory("service-environment");
        return new JobEnvironmentBuilder(files.Combine("variables"))
            .AddPredefined(new Dictionary<string, string> { ["CI_JOB_NAME"] = "test", ["PATH"] = "/usr/bin" })
            .AddYaml(new Dictionary<string, PipelineVariable> { ["FROM_YAML"] = new("yaml $FROM_FILE"), ["OVERRIDDEN"] = new("yaml") })
            .AddDotenv([new KeyValuePair<string, string>("FROM_DOTENV", "dotenv")])
            .AddExternal([new JobVariable("FROM_FILE", "secret-value", Masked: true), new JobVariable("OVERRIDDEN", "pipeline") { IsPipelineVariable = true }])
            .Build();
    }

    [Fact]
    public void Project_pipeline_and_dotenv_variables_are_not_public()
    {
        Assert.Equal(["FROM_DOTENV", "FROM_FILE", "OVERRIDDEN"], Job().NonPublic.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_service_gets_the_jobs_public_variables_as_the_job_sees_them()
    {
        var environment = ServiceEnvironment.Of(Job(), new Dictionary<string, string>());
        Assert.Equal("test", environment["CI_JOB_NAME"]);
        Assert.Equal("yaml secret-value", environment["FROM_YAML"]); // the build container's value, not re-expanded
        Assert.False(environment.ContainsKey("FROM_FILE"));
        Assert.False(environment.ContainsKey("FROM_DOTENV"));
        Assert.False(environment.ContainsKey("OVERRIDDEN"));
    }

    [Fact]
    public void Service_variables_win_and_are_expanded_against_every_job_variable_and_each_other()
    {
        var environment = ServiceEnvironment.Of(Job(), new Dictionary<string, string>
        {
            ["CI_JOB_NAME"] = "own",
            ["OPTED_IN"] = "${FROM_DOTENV}-$FROM_FILE",
            ["PATH"] = "$PATH:/opt/bin",
            ["URL"] = "db://$HOST/app",
            ["HOST"] = "postgres",
            ["LITERAL"] = "$$NOT_A_REFERENCE",
        });
        Assert.Equal("own", environment["CI_JOB_NAME"]);
        Assert.Equal("dotenv-secret-value", environment["OPTED_IN"]);
        Assert.Equal("/usr/bin:/opt/bin", environment["PATH"]);
        Assert.Equal("db://postgres/app", environment["URL"]);
        Assert.Equal("$NOT_A_REFERENCE", environment["LITERAL"]);
    }
}
