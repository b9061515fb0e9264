using Dockyard.Images.Stores;
using Dockyard.Tests.Hostile;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs.ContainerCommands;

/// <summary>
/// A Docker-in-Docker job run locally (no GitLab CI, no <c>CI_REGISTRY</c> given, no daemon, no registry) through the
/// real <c>dockyard ci run</c>: <c>$CI_REGISTRY</c> is the local image store, so the empty-password login is accepted
/// and the push leaves the image in the user's local store, saying so.
/// </summary>
public sealed class LocalRegistryJobTests : IDisposable
{
    private readonly HostileCli _cli = new() { Watchdog = TimeSpan.FromMinutes(10) };
    private readonly TempDirectory _root = new("localreg");

    public LocalRegistryJobTests()
    {
        _cli.Environment["DOCKER_HOST"] = "unix://" + _root.Combine("no-daemon.sock");
        _cli.Environment["DOCKYARD_CACHE"] = _root.Combine("cache");
    }

    [Fact]
    public async Task A_local_run_logs_in_to_CI_REGISTRY_without_a_password_and_pushes_into_the_local_store()
    {
        _root.WriteFile("project/.gitlab-ci.yml", """
            build-image:
              image: docker:27
              services: [docker:27-dind]
              before_script:
                - echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
              script:
                - docker build -t "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA" .
                - docker push "$CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA"
                - echo "registry=$CI_REGISTRY"
            """);
        _root.WriteFile("project/Dockerfile", "FROM scratch\nCOPY app.txt /app/app.txt\n");
        _root.WriteFile("project/app.txt", "built locally\n");

        var run = await _cli.RunAsync(["ci", "run", "build-image", "--cwd", _root.Combine("project"), "--executor", "shell", "--concurrency", "1"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Login Succeeded", run.StandardError);
        Assert.Contains("stored in the local image store", run.StandardError);
        var registry = run.StandardError.Split('\n').First(l => l.Contains("] registry=", StringComparison.Ordinal)).Split("registry=")[1].Trim();
        var names = new LocalImageStore(_root.Combine("cache", "images")).List().Select(e => e.Name).ToList();
        var name = Assert.Single(names);
        Assert.StartsWith(registry + "/", name);
    }

    // Offline, a local run makes mcr.microsoft.com/dotnet/runtime-deps from this machine's libraries: fine for the local
    // store, refused on the way to any real registry (registry.example.com is never contacted).
    [Fact]
    public async Task An_image_on_a_base_made_from_this_machine_is_not_pushed_to_a_real_registry()
    {
        _root.WriteFile("project/.gitlab-ci.yml", """
            build-image:
              image: docker:27
              script:
                - docker build -t registry.example.com/team/app:1 .
                - docker push registry.example.com/team/app:1
            """);
        _root.WriteFile("project/Dockerfile", "FROM mcr.microsoft.com/dotnet/runtime-deps:10.0\nCOPY app.txt /app/app.txt\n");
        _root.WriteFile("project/app.txt", "built locally\n");

        var run = await _cli.RunAsync(["ci", "run", "build-image", "--cwd", _root.Combine("project"), "--executor", "shell"]);

        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains("made it from this machine's .NET", run.StandardError);
        Assert.Contains("docker push registry.example.com/team/app:1: the image's .NET base was made from this machine's runtime", run.StandardError);
        Assert.DoesNotContain("   at ", run.StandardError);
    }

    [Fact]
    public async Task A_CI_REGISTRY_given_by_the_user_is_a_real_registry_and_an_empty_password_is_refused()
    {
        _root.WriteFile("project/.gitlab-ci.yml", """
            login:
              script:
                - echo "" | docker login -u someone --password-stdin "$CI_REGISTRY"
            """);

        var run = await _cli.RunAsync(["ci", "run", "login", "--cwd", _root.Combine("project"), "--executor", "shell", "--variable", "CI_REGISTRY=registry.example.com"]);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("the password is empty", run.StandardError);
    }

    public void Dispose()
    {
        _cli.Dispose();
        _root.Dispose();
    }
}
