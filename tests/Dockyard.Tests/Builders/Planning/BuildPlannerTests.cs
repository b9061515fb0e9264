using Dockyard.Builders.Planning;
using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Images;
using Dockyard.Tests.Dockerfiles;

namespace Dockyard.Tests.Builders.Planning;

public sealed class BuildPlannerTests : IDisposable
{
    private readonly string _publishDirectory = Directory.CreateTempSubdirectory("dockyard-publish-").FullName;

    public void Dispose() => Directory.Delete(_publishDirectory, recursive: true);

    private PublishedOutput Published(string project = "src/WebApp/WebApp.csproj", string configuration = "Release", string? runtime = null,
        bool? selfContained = null, Dictionary<string, string>? properties = null) =>
        new(_publishDirectory, project, configuration, runtime, selfContained, properties);

    private static BuildPlan Plan(string dockerfile, string? target = null, params PublishedOutput[] outputs) =>
        BuildPlanner.Plan(DockerfileParser.Parse(dockerfile), new BuildPlanRequest(target,
            new BuildArguments(new Dictionary<string, string>(), new Platform("linux", "amd64"), new Platform("linux", "amd64")), outputs));

    [Fact]
    public void Visual_studio_template_with_publish_directory_is_native_and_skips_the_sdk_stages()
    {
        var plan = Plan(DockerfileFixtures.VisualStudio, null, Published(properties: new() { ["UseAppHost"] = "false" }));
        Assert.True(plan.IsNative);
        Assert.Equal(["base", "publish", "final"], plan.Stages.Select(s => s.Name));
        Assert.Equal([StageBackend.Native, StageBackend.PublishDirectory, StageBackend.Native], plan.Stages.Select(s => s.Backend));
        var mapping = plan.Stages[1].Publish!;
        Assert.True(mapping.IsMapped);
        Assert.Equal("/app/publish", mapping.OutputPath);
        Assert.Equal(20, mapping.Step.Instruction.Location.Line);
        Assert.Contains("project WebApp.csproj", mapping.Matches);
        Assert.Contains("configuration Release", mapping.Matches);
        Assert.Contains("UseAppHost=false", mapping.Matches);
        var skipped = Assert.Single(plan.Skipped);
        Assert.Equal("build", skipped.Node.Stage.Name);
        Assert.Contains("publish directory for stage 'publish'", skipped.Reason);
        Assert.Empty(plan.ContainerReasons);
    }

    [Fact]
    public void Without_a_publish_directory_the_sdk_stages_need_a_container_and_say_why()
    {
        var plan = Plan(DockerfileFixtures.VisualStudio);
        Assert.False(plan.IsNative);
        Assert.Equal(["base", "build", "publish", "final"], plan.Stages.Select(s => s.Name));
        Assert.Equal([StageBackend.Native, StageBackend.Container, StageBackend.Container, StageBackend.Native], plan.Stages.Select(s => s.Backend));
        Assert.Collection(plan.ContainerReasons,
            r => Assert.StartsWith("Dockerfile:13:1: RUN dotnet restore \"./WebApp/WebApp.csproj\" needs a container: it changes this stage's files", r),
            r => Assert.StartsWith("Dockerfile:16:1: RUN dotnet build \"./WebApp.csproj\" -c $BUILD_CONFIGURATION -o /app/build needs a container: no publish directory was supplied", r),
            r => Assert.StartsWith("Dockerfile:20:1: RUN dotnet publish \"./WebApp.csproj\" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false needs a container", r));
    }

    [Fact]
    public void Configuration_mismatch_is_explained_and_blocks_the_mapping()
    {
        var plan = Plan(DockerfileFixtures.VisualStudio, null, Published(configuration: "Debug"));
        Assert.False(plan.IsNative);
        var publish = plan.Stages.Single(s => s.Name == "publish");
        Assert.Equal(StageBackend.Container, publish.Backend);
        var reason = Assert.Single(publish.Reasons);
        Assert.Contains("Dockerfile:20:1:", reason);
        Assert.Contains("builds configuration Release but the publish directory was built with Debug (publish with -c Release", reason);
    }

    [Fact]
    public void Build_arg_changes_the_configuration_the_mapping_expects()
    {
        var dockerfile = DockerfileFixtures.VisualStudio;
        var plan = BuildPlanner.Plan(DockerfileParser.Parse(dockerfile), new BuildPlanRequest(null,
            BuildArguments.Parse(["BUILD_CONFIGURATION=Debug"], environment: _ => null), [Published(configuration: "Debug")]));
        Assert.True(plan.IsNative);
        Assert.Contains("configuration Debug", plan.Stages.Single(s => s.Name == "publish").Publish!.Matches);
    }

    [Fact]
    public void Project_runtime_and_property_mismatches_are_listed()
    {
        var plan = Plan(DockerfileFixtures.VisualStudio, null, Published(project: "src/Other/Other.csproj", runtime: "linux-x64",
            properties: new() { ["UseAppHost"] = "true" }));
        var mapping = plan.Stages.Single(s => s.Name == "publish").Steps.Single(s => s.Publish is not null).Publish!;
        Assert.False(mapping.IsMapped);
        Assert.Contains(mapping.Mismatches, m => m.Contains("project is './WebApp.csproj' but the publish directory was built from 'Other.csproj'"));
        Assert.Contains(mapping.Mismatches, m => m.Contains("runtime linux-x64"));
        Assert.Contains(mapping.Mismatches, m => m.Contains("UseAppHost=false but the publish directory was built with UseAppHost=true"));
    }

    [Fact]
    public void Missing_publish_directory_is_a_mismatch()
    {
        var output = new PublishedOutput(Path.Combine(_publishDirectory, "missing"), "WebApp.csproj", "Release");
        var plan = Plan(DockerfileFixtures.VisualStudio, null, output);
        Assert.False(plan.IsNative);
        Assert.Contains(plan.ContainerReasons, r => r.Contains("does not exist (run dotnet publish first"));
    }

    [Fact]
    public void Cross_platform_sample_maps_the_build_stage_with_notes()
    {
        var plan = Plan(DockerfileFixtures.CrossPlatform, null, Published(project: "aspnetapp/aspnetapp.csproj"));
        Assert.True(plan.IsNative);
        Assert.Equal([StageBackend.PublishDirectory, StageBackend.Native], plan.Stages.Select(s => s.Backend));
        var mapping = plan.Stages[0].Publish!;
        Assert.Equal("/app", mapping.OutputPath);
        Assert.Contains(mapping.Notes, n => n.Contains("names no project, so dotnet uses the one in /source; assumed to be aspnetapp.csproj"));
        Assert.Contains("configuration Release (dotnet publish's default)", mapping.Matches);
        Assert.Contains("-a amd64", mapping.Command.ToString());
    }

    [Fact]
    public void Run_in_the_final_stage_forces_a_container_naming_the_line()
    {
        var plan = Plan(DockerfileFixtures.WithAptGet, null, Published(project: "Worker/Worker.csproj"));
        Assert.False(plan.IsNative);
        Assert.Equal([StageBackend.PublishDirectory, StageBackend.Container], plan.Stages.Select(s => s.Backend));
        var reason = Assert.Single(plan.ContainerReasons);
        Assert.StartsWith("Dockerfile:7:1: RUN apt-get update && apt-get install -y --no-install-recommends curl", reason);
        Assert.Contains("needs a container: only FROM, COPY, ADD (local files), ENV", reason);
        Assert.Contains("RUN dotnet publish/build -o (given a publish directory) are built natively", reason);
    }

    [Fact]
    public void Target_stage_with_its_own_publish_copies_the_publish_directory()
    {
        var plan = Plan(DockerfileFixtures.SingleStage, null, Published(project: "src/Api/Api.csproj"));
        Assert.True(plan.IsNative);
        var stage = Assert.Single(plan.Stages);
        Assert.Equal(StageBackend.Native, stage.Backend);
        var step = stage.Steps.Single(s => s.Action == StepAction.CopyPublishDirectory);
        Assert.Equal("/app", step.Publish!.OutputPath);
        Assert.Contains("project Api.csproj", step.Publish.Matches);
        Assert.All(stage.Steps.Where(s => s != step), s => Assert.Equal(StepAction.Native, s.Action));
    }

    [Fact]
    public void Copy_of_something_outside_the_output_keeps_the_stage()
    {
        var dockerfile = DockerfileFixtures.WithAptGet.Replace("RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n    && rm -rf /var/lib/apt/lists/*\n", "COPY --from=build /src/appsettings.json /app/\n", StringComparison.Ordinal);
        var plan = Plan(dockerfile, null, Published(project: "Worker/Worker.csproj"));
        Assert.Equal(StageBackend.Native, plan.Stages[0].Backend);
        Assert.Equal(StepAction.CopyPublishDirectory, plan.Stages[0].Steps.Single(s => s.Step.Instruction is RunInstruction).Action);
        Assert.True(plan.IsNative);
    }

    [Fact]
    public void From_a_publishing_stage_keeps_it_and_its_restore_needs_a_container()
    {
        var plan = Plan("FROM sdk AS build\nWORKDIR /src\nCOPY . .\nRUN dotnet restore\nRUN dotnet publish -c Release -o /out\nFROM build AS test\nCMD [\"dotnet\", \"test\"]\n",
            null, Published(project: "App.csproj"));
        Assert.Equal(["build", "test"], plan.Stages.Select(s => s.Name));
        Assert.Equal(StageBackend.Container, plan.Stages[0].Backend);
        Assert.StartsWith("Dockerfile:4:1: RUN dotnet restore needs a container", Assert.Single(plan.Stages[0].Reasons));
    }

    [Fact]
    public void Build_argument_values_and_secret_properties_stay_out_of_explanations()
    {
        var dockerfile = "FROM sdk AS build\nARG FEED_TOKEN\nRUN dotnet publish App.csproj -c Release -o /out -p:FeedToken=$FEED_TOKEN\nFROM runtime\nCOPY --from=build /out /app\n";
        var plan = BuildPlanner.Plan(DockerfileParser.Parse(dockerfile), new BuildPlanRequest(null,
            BuildArguments.Parse(["FEED_TOKEN=s3cr3t-value"], environment: _ => null),
            [Published(project: "App.csproj", properties: new() { ["FeedToken"] = "other-s3cr3t" })]));
        var text = BuildPlanTextRenderer.Render(plan);
        Assert.Contains("RUN dotnet publish App.csproj -c Release -o /out -p:FeedToken=$FEED_TOKEN", text);
        Assert.Contains("FeedToken=*** but the publish directory was built with FeedToken=***", text);
        Assert.DoesNotContain("s3cr3t", text);
    }

    [Fact]
    public void Remote_add_needs_a_container()
    {
        var plan = Plan("FROM scratch\nADD https://example.com/tool.tar.gz /opt/\nADD local.tar.gz /opt/\n");
        var reason = Assert.Single(plan.ContainerReasons);
        Assert.StartsWith("Dockerfile:2:1: ADD of the remote source 'https://example.com/tool.tar.gz'", reason);
    }

    [Fact]
    public void Target_selection_and_unused_args()
    {
        var plan = BuildPlanner.Plan(DockerfileParser.Parse(DockerfileFixtures.VisualStudio),
            new BuildPlanRequest("base", BuildArguments.Parse(["UNUSED=1"], environment: _ => null)));
        Assert.Equal(["base"], plan.Stages.Select(s => s.Name));
        Assert.True(plan.IsNative);
        Assert.Equal(["UNUSED"], plan.UnusedBuildArgs);
        Assert.All(plan.Skipped, s => Assert.Equal("not needed by target 'base'", s.Reason));
        Assert.Throws<DockyardException>(() => BuildPlanner.Plan(DockerfileParser.Parse(DockerfileFixtures.VisualStudio), new BuildPlanRequest("nope")));
    }

    [Fact]
    public void Steps_carry_expanded_instructions_for_the_executor()
    {
        var plan = Plan(DockerfileFixtures.SingleStage, null, Published(project: "Api.csproj"));
        var env = plan.Stages[0].Steps.Select(s => s.Step.Instruction).OfType<EnvInstruction>().Single();
        Assert.Equal([new KeyValue("ASPNETCORE_URLS", "http://+:8080"), new KeyValue("DOTNET_EnableDiagnostics", "0")], env.Variables);
        var label = plan.Stages[0].Steps.Select(s => s.Step.Instruction).OfType<LabelInstruction>().Single();
        Assert.Equal("https://gitlab.example.com/team/api", label.Labels[0].Value);
        Assert.Equal("0", plan.Stages[0].Steps[^1].Step.Env["DOTNET_EnableDiagnostics"]);
    }

    [Fact]
    public void Text_rendering_lists_stages_backends_and_reasons()
    {
        var native = BuildPlanTextRenderer.Render(Plan(DockerfileFixtures.VisualStudio, null, Published()));
        Assert.Contains("Plan for Dockerfile, target 'final', platform linux/amd64", native);
        Assert.Contains("Backend: native (no container needed)", native);
        Assert.Contains("  1. 'base' (FROM mcr.microsoft.com/dotnet/aspnet:8.0): native, 4 instructions", native);
        Assert.Contains($"  2. 'publish' (FROM stage 'build'): publish directory\n      Dockerfile:20:1: RUN dotnet publish \"./WebApp.csproj\" -c $BUILD_CONFIGURATION -o /app/publish /p:UseAppHost=false -> /app/publish is taken from '{_publishDirectory}' (project WebApp.csproj, configuration Release); UseAppHost=false assumed.", native);
        Assert.Contains("  3. 'final' (FROM stage 'base'): native, 3 instructions", native);
        Assert.Contains("Skipped stages:\n  - 'build': only needed to produce", native);
        var container = BuildPlanTextRenderer.Render(Plan(DockerfileFixtures.WithAptGet));
        Assert.Contains("Plan for Dockerfile, target stage 1, platform linux/amd64", container);
        Assert.Contains("  2. stage 1 (FROM mcr.microsoft.com/dotnet/runtime:8.0): needs a container", container);
        Assert.Contains("Backend: container (docker or buildah)", container);
        Assert.Contains("needs a container\n      Dockerfile:7:1: RUN apt-get", container);
    }
}

public class UndefinedVariableWarningTests
{
    [Fact]
    public void Variables_the_base_image_may_set_are_flagged_while_its_config_is_unknown()
    {
        var plan = BuildPlanner.Plan(DockerfileParser.Parse(DockerfileFixtures.VisualStudio), new BuildPlanRequest("base"));
        var warning = Assert.Single(plan.Warnings);
        Assert.StartsWith("Dockerfile:4:1: $APP_UID is not set by any ARG or ENV of this Dockerfile; the build takes it from the base image's environment, as docker does", warning);
        Assert.DoesNotContain("--", warning);
    }

    [Fact]
    public void Known_base_config_removes_the_warning_and_typos_are_still_reported()
    {
        var dockerfile = DockerfileParser.Parse("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\nENV A=${MISSING:-ok} B=$MISPELT\n");
        var plan = BuildPlanner.Plan(dockerfile, new BuildPlanRequest(BaseImages: _ => new ImageDefaults(new Dictionary<string, string> { ["APP_UID"] = "1654" }, "/app")));
        var warning = Assert.Single(plan.Warnings);
        Assert.StartsWith("Dockerfile:3:1: $MISPELT is not set (no ARG, ENV or base image variable defines it)", warning);
    }
}
