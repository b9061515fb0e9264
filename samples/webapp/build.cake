// The sample's Cake script: every job of .gitlab-ci.yml is a task (ci:build-image, ci:unit-tests, ci:smoke, ...),
// plus "Image", which builds the Dockerfile's runtime stage with Dockyard (no daemon) from `dotnet publish`'s output.
//   dotnet cake --target=ci:build-image
//   dotnet cake --target=Image
#addin nuget:?package=Dockyard.Cake&version=0.1.0&loaddependencies=false

var target = Argument("target", "Image");
var tag = Argument("tag", "webapp:dev");

RegisterGitLabJobs(LoadGitLabPipeline(), new GitLabJobSettings().WithTaskPrefix("ci:"));

Task("Publish").Does(() =>
    DotNetPublish("src/WebApp/WebApp.csproj", new DotNetPublishSettings { Configuration = "Release", OutputDirectory = "artifacts/publish" }));

Task("Image").IsDependentOn("Publish").Does(() =>
{
    var built = DockyardBuild(new DockyardBuildSettings().WithTarget("runtime").WithPublishDirectory("artifacts/publish").WithTag(tag), ".");
    Information($"{tag}: {built.Digest} ({built.Backend})");
});

RunTarget(target);
