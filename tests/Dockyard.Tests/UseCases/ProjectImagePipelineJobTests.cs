using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Tests.Jobs;
using Dockyard.UseCases.Build;
using Dockyard.UseCases.ProjectImages;

namespace Dockyard.Tests.UseCases;

/// <summary>
/// <see cref="ProjectImage"/> with a Dockerfile and a <c>.gitlab-ci.yml</c> in a real git checkout (temp dir, real git):
/// the pipeline job whose build line builds the project's Dockerfile gives the tags, target, build arguments and
/// context (variables expanded as the job would have them, predefined ones computed from the checkout); other
/// Dockerfiles do not match; explicit settings win and are said.
/// </summary>
public sealed class ProjectImagePipelineJobTests
{
    private const string Dockerfile = "FROM mcr.microsoft.com/dotnet/runtime:10.0 AS final\nWORKDIR /app\nCOPY . /app/\n";

    private const string Pipeline = """
        stages: [build, deploy]
        variables:
          X_VALUE: "1"
        worker:
          stage: build
          image:
            name: gcr.io/kaniko-project/executor:debug
            entrypoint: [""]
          script:
            - /kaniko/executor --context "$CI_PROJECT_DIR" --dockerfile src/Worker/Dockerfile --destination "$CI_REGISTRY_IMAGE/worker:$CI_COMMIT_SHORT_SHA"
        web:
          stage: build
          image: docker:27
          services: [docker:27-dind]
          script:
            - docker login -u "$CI_REGISTRY_USER" -p "$CI_REGISTRY_PASSWORD" "$CI_REGISTRY"
            - docker build -t $CI_REGISTRY_IMAGE:$CI_COMMIT_SHORT_SHA -t $CI_REGISTRY_IMAGE:latest --target final --build-arg X=$X_VALUE --build-arg CI_COMMIT_REF_SLUG -f src/Web/Dockerfile .
            - docker push --all-tags $CI_REGISTRY_IMAGE
        """;

    [Fact]
    public void The_docker_build_job_of_the_Dockerfile_gives_its_expanded_tags_target_build_arguments_and_context_and_is_named()
    {
        using var project = Checkout(Pipeline);
        var sha = ShortSha(project);

        var build = Plan(project, Request(project), out var target, out var job, RealRegistry);

        Assert.NotNull(job);
        Assert.Equal("web", job.Name);
        Assert.Equal(17, job.Location.Line);
        Assert.Equal([$"registry.gitlab.example.com/group/shop:{sha}", "registry.gitlab.example.com/group/shop:latest"], target.References);
        Assert.Equal([sha, "latest"], target.Tags);
        Assert.Equal("group/shop", target.Repository);
        Assert.Equal("registry.gitlab.example.com", target.Registry);
        Assert.Equal(ImageDestination.Push, build.Destination);
        Assert.Equal(target.References, build.Tags);
        Assert.Equal("final", build.Target);
        Assert.Equal(["X=1", "CI_COMMIT_REF_SLUG=main"], build.BuildArguments);
        Assert.Equal(project.Directory, build.ContextDirectory);
        Assert.Contains("tags, target and build arguments from pipeline job web (.gitlab-ci.yml:17)", target.Messages);
    }

    [Fact]
    public void A_kaniko_job_matches_through_its_context_and_dockerfile_and_its_destinations_are_pushed()
    {
        using var project = Checkout(Pipeline);
        var sha = ShortSha(project);

        var build = Plan(project, Request(project, "src/Worker/Worker.csproj"), out var target, out var job, RealRegistry);

        Assert.Equal("worker", job?.Name);
        Assert.Equal([$"registry.gitlab.example.com/group/shop/worker:{sha}"], target.References);
        Assert.Equal(ImageDestination.Push, build.Destination);
        Assert.Null(build.Target);
        Assert.Contains("tags, target and build arguments from pipeline job worker (.gitlab-ci.yml:10)", target.Messages);
    }

    [Fact]
    public void In_a_local_run_the_job_s_CI_REGISTRY_names_go_to_the_local_image_store_as_ci_run_s_docker_push_does()
    {
        using var project = Checkout(Pipeline);
        var sha = ShortSha(project);

        var build = Plan(project, Request(project), out var target, out var job);

        Assert.Equal("web", job?.Name);
        Assert.Equal(ImageDestination.LocalStore, build.Destination);
        Assert.Null(target.Registry);
        Assert.Equal([$"registry.gitlab.example.com/group/shop:{sha}", "registry.gitlab.example.com/group/shop:latest"], target.References);
        Assert.Contains(target.Messages, m => m.Contains("registry.gitlab.example.com is $CI_REGISTRY of a local run", StringComparison.Ordinal));
    }

    [Fact]
    public void An_archive_or_the_daemon_the_project_asks_for_gets_the_image_under_the_job_s_names()
    {
        using var project = Checkout(Pipeline);
        var sha = ShortSha(project);
        string[] names = [$"registry.gitlab.example.com/group/shop:{sha}", "registry.gitlab.example.com/group/shop:latest"];

        var archive = Plan(project, Request(project) with { ArchiveOutputPath = "out/", ImageFormat = "OCI" }, out var archived, out _, RealRegistry);
        var daemon = Plan(project, Request(project) with { LocalRegistry = "Docker" }, out var loaded, out _, RealRegistry);

        Assert.Equal($"oci-archive:{Path.Combine(project.Directory, "out", "group_shop.tar.gz")}", archive.Destination.ToString());
        Assert.Equal(names, archived.References);
        Assert.Equal(ImageDestination.DockerDaemon, daemon.Destination.ToString());
        Assert.Equal(names, loaded.References);
        Assert.Contains(loaded.Messages, m => m.EndsWith("(LocalRegistry=Docker)", StringComparison.Ordinal));
    }

    [Fact]
    public void Inside_a_job_of_a_local_ci_run_the_run_s_CI_REGISTRY_names_go_to_the_local_image_store()
    {
        using var project = Checkout(Pipeline);

        var build = Plan(project, Request(project), out var target, out var job, new Dictionary<string, string>(RealRegistry)
        {
            ["GITLAB_CI"] = "true", ["CI_REGISTRY_IMAGE"] = "registry.gitlab.example.com/group/shop", ["CI_COMMIT_SHORT_SHA"] = "0123abcd",
            [Dockyard.Jobs.ContainerCommands.ContainerShims.LocalRegistryVariable] = "registry.gitlab.example.com",
        });

        Assert.Equal("web", job?.Name);
        Assert.Equal(ImageDestination.LocalStore, build.Destination);
        Assert.Equal(["registry.gitlab.example.com/group/shop:0123abcd", "registry.gitlab.example.com/group/shop:latest"], target.References);
    }

    [Fact]
    public void No_job_builds_another_Dockerfile_so_the_project_s_own_names_are_used()
    {
        using var project = Checkout(Pipeline, ("src/Api/Dockerfile", Dockerfile));

        var build = Plan(project, Request(project, "src/Api/Api.csproj"), out var target, out var job);

        Assert.Null(job);
        Assert.Equal(["api:latest"], target.References);
        Assert.Equal(ImageDestination.LocalStore, build.Destination);
        Assert.Null(build.Target);
        Assert.Contains(target.Messages, m => m.StartsWith("no job of ", StringComparison.Ordinal) && m.Contains("Dockerfile", StringComparison.Ordinal));
    }

    [Fact]
    public void DockyardFromPipeline_false_reads_no_pipeline()
    {
        using var project = Checkout(Pipeline);

        Plan(project, Request(project) with { FromPipeline = false }, out var target, out var job);

        Assert.Null(job);
        Assert.Equal(["web:latest"], target.References);
        Assert.DoesNotContain(target.Messages, m => m.Contains("pipeline", StringComparison.Ordinal));
    }

    [Fact]
    public void Explicit_tags_registry_repository_target_and_build_arguments_win_over_the_job_s_and_are_said()
    {
        using var project = Checkout(Pipeline);

        var build = Plan(project, Request(project) with
        {
            Tags = ["1.0"], Registry = "registry.example.org:5000", Repository = "Shop/Web", Target = "debug", BuildArguments = ["X=2"],
        }, out var target, out var job);

        Assert.Equal("web", job?.Name);
        Assert.Equal(["registry.example.org:5000/shop/web:1.0"], target.References);
        Assert.Equal("debug", build.Target);
        Assert.Equal(["CI_COMMIT_REF_SLUG=main", "X=2"], build.BuildArguments);
        Assert.Contains("ContainerImageTags 1.0 win over the tags of pipeline job web (set in the project)", target.Messages);
        Assert.Contains(target.Messages, m => m.StartsWith("ContainerRegistry registry.example.org:5000 wins", StringComparison.Ordinal));
        Assert.Contains(target.Messages, m => m.StartsWith("ContainerRepository Shop/Web wins", StringComparison.Ordinal));
        Assert.Contains("DockyardTarget debug wins over --target final of pipeline job web (set in the project)", target.Messages);
        Assert.Contains(target.Messages, m => m.StartsWith("DockyardBuildArg X win", StringComparison.Ordinal));
    }

    [Fact]
    public void Of_several_jobs_building_the_Dockerfile_the_first_that_runs_on_the_default_branch_is_taken_and_the_choice_is_said()
    {
        using var project = Checkout("""
            review:
              rules: [{ if: $CI_COMMIT_BRANCH != $CI_DEFAULT_BRANCH }]
              script:
                - docker build --push -t $CI_REGISTRY_IMAGE/review:$CI_COMMIT_REF_SLUG -f src/Web/Dockerfile .
            release:
              script:
                - docker build -t $CI_REGISTRY_IMAGE/web:$CI_COMMIT_SHORT_SHA src/Web
                - docker tag $CI_REGISTRY_IMAGE/web:$CI_COMMIT_SHORT_SHA $CI_REGISTRY_IMAGE/web:stable
                - docker push $CI_REGISTRY_IMAGE/web:stable
            """);
        project.Git("checkout", "-qb", "feature/x");

        Plan(project, Request(project), out var target, out var job);

        Assert.Equal("release", job?.Name);
        Assert.Equal(["registry.gitlab.example.com/group/shop/web:stable"], target.References);
        Assert.Contains("pipeline jobs review (.gitlab-ci.yml:4), release (.gitlab-ci.yml:7) build src/Web/Dockerfile: took release, " +
            "the first in pipeline order that runs on the default branch main", target.Messages);
    }

    [Fact]
    public void A_job_that_builds_without_pushing_names_the_image_in_the_local_store()
    {
        using var project = Checkout("""
            check:
              script:
                - docker build -t shop/web:check src/Web
            """);

        var build = Plan(project, Request(project), out var target, out var job);

        Assert.Equal("check", job?.Name);
        Assert.Equal(ImageDestination.LocalStore, build.Destination);
        Assert.Equal(["docker.io/shop/web:check"], target.References);
    }

    [Fact]
    public void A_job_name_that_is_no_image_reference_here_is_a_warning_at_its_line_and_CiVariable_values_make_it_one()
    {
        using var project = Checkout("""
            release:
              script:
                - docker build --push -t "$RELEASE_IMAGE:1" src/Web
            """);
        var logger = new CapturingLogger();
        var host = project.Host();
        host = new HostContext(host.Variables, host.WorkingDirectory) { Logger = logger };

        ProjectImage.Plan(host, Request(project), out var target, out _, out _, out var job);

        Assert.Null(job);
        Assert.Equal(["web:latest"], target.References);
        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Diagnostic;
        Assert.Equal(3, warning?.Location?.Line);
        Assert.Contains("pipeline job release names the image ':1'", warning?.Message);
        Assert.Contains("CiVariable", warning?.Message);

        ProjectImage.Plan(host, Request(project) with { PipelineVariables = [new("RELEASE_IMAGE", "registry.example.org/shop/web") { IsPipelineVariable = true }] },
            out target, out _, out _, out job);

        Assert.Equal("release", job?.Name);
        Assert.Equal(["registry.example.org/shop/web:1"], target.References);
    }

    [Fact]
    public void A_pipeline_that_cannot_be_read_is_a_warning_at_its_line_and_the_project_s_names_are_kept()
    {
        using var project = Checkout("build:\n  stage: nowhere\n  script:\n    - docker build --push -t registry.example.org/web:1 src/Web\n");
        var logger = new CapturingLogger();
        var host = project.Host();

        ProjectImage.Plan(new HostContext(host.Variables, host.WorkingDirectory) { Logger = logger }, Request(project), out var target, out _, out _, out var job);

        Assert.Null(job);
        Assert.Equal(["web:latest"], target.References);
        var warning = Assert.Single(logger.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning).Diagnostic;
        Assert.NotNull(warning);
        Assert.Equal(".gitlab-ci.yml", warning.Location?.File);
        Assert.Equal(2, warning.Location?.Line);
        Assert.Contains("stage 'nowhere' does not exist", warning.Message);
        Assert.Contains("DockyardFromPipeline=false", warning.Message);
    }

    /// <summary>The environment of a run whose <c>CI_REGISTRY</c> is a real registry (a GitLab job's, or given by the user): not the local run's stand-in.</summary>
    private static readonly Dictionary<string, string> RealRegistry = new() { ["CI_REGISTRY"] = "registry.gitlab.example.com" };

    private static ImageBuildRequest Plan(JobProject project, ProjectImageRequest request, out ImageTarget target, out PipelineImageJob? job,
        Dictionary<string, string>? variables = null)
    {
        var host = project.Host();
        if (variables is not null) host = host.WithVariables(new Dictionary<string, string>(host.Variables.Concat(variables)));
        return ProjectImage.Plan(host, request, out target, out _, out _, out job);
    }

    private static ProjectImageRequest Request(JobProject project, string path = "src/Web/Web.csproj") => new()
    {
        ProjectPath = Path.Combine(project.Directory, path), PublishDirectory = "bin/publish",
        AssemblyName = Path.GetFileNameWithoutExtension(path), TargetFramework = "net10.0",
    };

    /// <summary>A committed checkout on <c>main</c> with origin on gitlab.example.com, Dockerfiles for src/Web and src/Worker, and <paramref name="pipeline"/>.</summary>
    private static JobProject Checkout(string pipeline, params (string Path, string Content)[] files)
    {
        var project = new JobProject(pipeline, [("src/Web/Dockerfile", Dockerfile), ("src/Worker/Dockerfile", Dockerfile), .. files]);
        project.Git("symbolic-ref", "HEAD", "refs/heads/main");
        project.Git("remote", "add", "origin", "https://gitlab.example.com/group/shop.git");
        project.Git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-qm", "init");
        return project;
    }

    private static string ShortSha(JobProject project)
    {
        var head = File.ReadAllText(Path.Combine(project.Directory, ".git", "refs", "heads", "main")).Trim();
        return head[..8];
    }
}
