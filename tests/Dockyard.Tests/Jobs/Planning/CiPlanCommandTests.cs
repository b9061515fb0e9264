using System.Text.Json;
using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.Planning;

/// <summary><c>dockyard ci plan JOB</c> through the real CLI process: what each line becomes, nothing run, no secret shown.</summary>
public sealed class CiPlanCommandTests : IDisposable
{
    private const string Password = "plan-password-93f1c";
    private const string Token = "plan-token-7e21a";
    private readonly TempDirectory _root = new("ci-plan");
    private readonly HostileCli _cli = new();

    public CiPlanCommandTests()
    {
        _cli.Environment["DOCKER_HOST"] = "unix://" + _root.Combine("no-daemon.sock");
        _root.WriteFile("project/Dockerfile", "FROM registry.example:5000/base/busybox:1\nCOPY app.txt /app/app.txt\nCMD [\"/bin/sh\"]\n");
        _root.WriteFile("project/Dockerfile.run", "FROM registry.example:5000/base/busybox:1\nRUN apk add curl\n");
        _root.WriteFile("project/app.txt", "app\n");
        _root.WriteFile("project/.gitlab-ci.yml", """
            build:
              variables:
                IMAGE: $CI_REGISTRY/group/app:$CI_COMMIT_REF_SLUG
              before_script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
                - docker login -u deploy -p "$DEPLOY_TOKEN" other.example
              script:
                - touch "$CI_PROJECT_DIR/ran"
                - docker build -t "$IMAGE" .
                - if [[ "$CI_COMMIT_BRANCH" == "main" ]]; then docker tag "$IMAGE" "$CI_REGISTRY/group/app:latest"; docker push "$CI_REGISTRY/group/app:latest"; fi
                - docker build -f Dockerfile.run -t "$IMAGE-run" .
                - docker run --rm "$IMAGE" true
                - docker frobnicate
            """);
        _root.WriteFile("vars.yml", $"""
            CI_REGISTRY: registry.example:5000
            CI_REGISTRY_USER: ci-user
            CI_REGISTRY_PASSWORD:
              value: {Password}
              masked: true
            DEPLOY_TOKEN: {Token}
            """);
    }

    private Task<HostileRun> Plan(params string[] extra) =>
        _cli.RunAsync(["ci", "plan", "build", "--cwd", _root.Combine("project"), "--variables-file", _root.Combine("vars.yml"), .. extra]);

    [Fact]
    public async Task Each_line_says_what_it_becomes_and_nothing_runs()
    {
        var run = await Plan("--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        HostileCli.AssertNoSecret(run, [Password, Token]);
        Assert.False(File.Exists(_root.Combine("project/ran")));
        var plan = JsonDocument.Parse(run.StandardOutput).RootElement;
        var kinds = plan.GetProperty("lines").EnumerateArray()
            .Select(l => string.Join(",", l.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("kind").GetString())))
            .ToList();
        Assert.Equal(
        [
            "shell,credential", "credential", "shell", "native_image", "shell,native_image,native_image", "fails", "fails", "fails",
        ], kinds);
        var lines = plan.GetProperty("lines");
        Assert.Equal(["CI_REGISTRY", "CI_REGISTRY_PASSWORD", "CI_REGISTRY_USER"], lines[0].GetProperty("variables").EnumerateArray().Select(v => v.GetString()));
        var build = lines[3].GetProperty("commands")[0];
        Assert.StartsWith("docker build -t registry.example:5000/group/app:", build.GetProperty("command").GetString());
        Assert.Contains("Backend: native", build.GetProperty("build_plan").GetString());
        Assert.Contains("RUN apk add curl", lines[5].GetProperty("commands")[0].GetProperty("build_plan").GetString());
        Assert.Contains("no Docker daemon answers", lines[6].GetProperty("commands")[0].GetProperty("description").GetString());
        Assert.Contains("docker frobnicate: not a docker command", lines[7].GetProperty("commands")[0].GetProperty("description").GetString());
        var credentials = plan.GetProperty("credentials").EnumerateArray()
            .ToDictionary(c => c.GetProperty("registry").GetString()!, c => c.GetProperty("source").GetString()!);
        Assert.Equal("the job's own login (before_script line 1)", credentials["registry.example:5000"]);
    }

    [Fact]
    public async Task The_text_plan_shows_the_stage_plan_and_masks_every_login_secret()
    {
        var run = await Plan();
        Assert.True(run.ExitCode == 0, run.ToString());
        HostileCli.AssertNoSecret(run, [Password, Token]);
        Assert.Contains("  shell       echo ****\n", run.StandardOutput);
        Assert.Contains("  credential  docker login -u deploy -p **** other.example\n", run.StandardOutput);
        Assert.Contains("a credential for registry.example:5000 as ci-user, password from standard input; kept for this job only", run.StandardOutput);
        Assert.Contains("| Backend: native (no container needed)", run.StandardOutput);
        Assert.Matches(@"credentials:\n  registry\.example:5000\s+the job's own login \(before_script line 1\)", run.StandardOutput);
    }

    [Fact]
    public async Task An_unknown_job_is_one_clear_error()
    {
        var run = await _cli.RunAsync(["ci", "plan", "biuld", "--cwd", _root.Combine("project")]);
        HostileCli.AssertRefused(run, "job 'biuld': no such job");
    }

    public void Dispose()
    {
        _cli.Dispose();
        _root.Dispose();
    }
}
