// Cake with Dockyard: every job of .gitlab-ci.yml is a task ("ci:build", "ci:publish-image"), plus "Image", which
// publishes the service and builds its image with Dockyard (into the local image store, or pushed in GitLab CI).
//   dotnet tool restore && dotnet cake --target=ci:build
//   dotnet cake --target=Image [--tag=dev]
#addin nuget:?package=Dockyard.Cake&version=DOCKYARD_VERSION&loaddependencies=false

var target = Argument("target", "ci:build");
var configuration = Argument("configuration", "Release");
var image = Argument("image", GitLabRegistry.Image ?? "dockyardworker");
var tag = Argument("tag", EnvironmentVariable("CI_COMMIT_SHORT_SHA") ?? "dev");
var publishDirectory = "artifacts/publish";

// The pipeline's jobs, in its order (dependencies from needs: or the earlier stages), run as `dockyard ci run` would.
RegisterGitLabJobs(LoadGitLabPipeline(), new GitLabJobSettings().WithTaskPrefix("ci:").WithExecutor("shell"));

Task("Publish").Does(() =>
    DotNetPublish("DockyardWorker.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        OutputDirectory = publishDirectory,
    }));

// The Dockerfile's runtime stage on the published output (its `RUN dotnet publish -o /app/publish` stage is this
// publish directory): no daemon. Pushed when the GitLab registry and a job token are there, else the local image store.
Task("Image").IsDependentOn("Publish").Does(() =>
{
    var settings = new DockyardBuildSettings()
        .WithTarget("runtime")
        .WithPublishDirectory(publishDirectory)
        .WithTag($"{image}:{tag}");
    if (GitLabRegistry.IsAvailable && GitLabRegistry.HasJobToken) settings = settings.WithPush();
    var built = DockyardBuild(settings, ".");
    Information($"{string.Join(", ", built.Tags)}: {built.Digest} ({built.Backend})");
});

Task("Default").IsDependentOn("ci:build");

RunTarget(target);
