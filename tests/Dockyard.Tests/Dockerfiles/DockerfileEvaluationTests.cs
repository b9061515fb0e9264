using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Images;

namespace Dockyard.Tests.Dockerfiles;

public class DockerfileEvaluationTests
{
    private static readonly Platform Arm64 = new("linux", "arm64", "v8");
    private static readonly Platform Amd64 = new("linux", "amd64");

    private static DockerfileEvaluation Evaluate(string text, params string[] buildArgs) =>
        DockerfileEvaluation.Create(DockerfileParser.Parse(text), BuildArguments.Parse(buildArgs, Arm64, Amd64, _ => null));

    private static ResolvedStage Stage(DockerfileEvaluation evaluation, int index) => evaluation.Resolve(evaluation.Graph.Nodes[index]);

    [Fact]
    public void Global_args_and_platform_args_expand_from_lines()
    {
        var evaluation = Evaluate(DockerfileFixtures.CrossPlatform);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:8.0", evaluation.Graph.Nodes[0].BaseImage);
        Assert.Equal("linux/amd64", evaluation.Graph.Nodes[0].Platform);
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:8.0-alpine", evaluation.Graph.Nodes[1].BaseImage);
        var overridden = Evaluate(DockerfileFixtures.CrossPlatform, "DOTNET_VERSION=9.0");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:9.0", overridden.Graph.Nodes[0].BaseImage);
    }

    [Fact]
    public void Platform_args_are_visible_in_a_stage_only_when_declared()
    {
        var evaluation = Evaluate("FROM scratch\nENV BEFORE=${TARGETARCH:-none}\nARG TARGETARCH\nARG TARGETPLATFORM TARGETVARIANT BUILDOS\nENV AFTER=$TARGETARCH P=$TARGETPLATFORM V=$TARGETVARIANT B=$BUILDOS");
        var env = Stage(evaluation, 0).FinalEnv;
        Assert.Equal("none", env["BEFORE"]);
        Assert.Equal("arm64", env["AFTER"]);
        Assert.Equal("linux/arm64/v8", env["P"]);
        Assert.Equal("v8", env["V"]);
        Assert.Equal("linux", env["B"]);
    }

    [Fact]
    public void Global_args_need_redeclaring_inside_a_stage()
    {
        var text = "ARG VERSION=1.0\nFROM scratch\nENV A=${VERSION:-unset}\nARG VERSION\nENV B=$VERSION\n";
        var env = Stage(Evaluate(text), 0).FinalEnv;
        Assert.Equal("unset", env["A"]);
        Assert.Equal("1.0", env["B"]);
        Assert.Equal("2.0", Stage(Evaluate(text, "VERSION=2.0"), 0).FinalEnv["B"]);
    }

    [Fact]
    public void Build_args_override_stage_defaults_and_env_overrides_args()
    {
        var text = "FROM scratch\nARG CONFIG=Debug\nENV FIRST=$CONFIG\nENV CONFIG=FromEnv\nARG CONFIG=Ignored\nENV SECOND=$CONFIG\n";
        var env = Stage(Evaluate(text, "CONFIG=Release"), 0).FinalEnv;
        Assert.Equal("Release", env["FIRST"]);
        Assert.Equal("FromEnv", env["SECOND"]);
        Assert.Equal("Debug", Stage(Evaluate(text), 0).FinalEnv["FIRST"]);
    }

    [Fact]
    public void Env_pairs_on_one_line_see_the_previous_values()
    {
        var env = Stage(Evaluate("FROM scratch\nENV abc=hello\nENV abc=bye def=$abc\nENV ghi=$abc\n"), 0).FinalEnv;
        Assert.Equal("hello", env["def"]);
        Assert.Equal("bye", env["ghi"]);
    }

    [Fact]
    public void Stage_args_on_one_line_see_the_scope_before_the_line_and_quotes_are_removed()
    {
        var step = Stage(Evaluate("FROM scratch\nARG A=1 B=${A}2 C=\"x y\"\n"), 0).Steps[0];
        Assert.Equal("2", step.Args["B"]);
        Assert.Equal("x y", step.Args["C"]);
        Assert.Equal(["1", "2", "x y"], ((ArgInstruction)step.Instruction).Arguments.Select(a => a.DefaultValue));
    }

    [Fact]
    public void Global_args_on_one_line_are_expanded_one_by_one()
    {
        var evaluation = Evaluate("ARG A=1 B=${A}2\nFROM img:$B\n");
        Assert.Equal("img:12", evaluation.Graph.Nodes[0].BaseImage);
    }

    [Fact]
    public void Images_without_path_get_dockers_default_path()
    {
        var env = Stage(Evaluate("FROM scratch\nENV PATH=$PATH:/root/.dotnet/tools\n"), 0).FinalEnv;
        Assert.Equal(DockerfileEvaluation.DefaultPath + ":/root/.dotnet/tools", env["PATH"]);
    }

    [Fact]
    public void Expansion_follows_dockers_instruction_list()
    {
        var stage = Stage(Evaluate("FROM scratch\nARG D=/app U=app P=8080 S=SIGINT\nWORKDIR $D\nUSER $U\nEXPOSE $P\nSTOPSIGNAL $S\nVOLUME $D/data\n" +
            "COPY --chown=$U:$U src/$U $D/\nLABEL \"$U.version\"=\"$P\"\nRUN echo $D\nCMD echo $D\nENTRYPOINT [\"$D\"]\nONBUILD COPY $D x\n"), 0);
        var i = stage.Steps.Select(s => s.Instruction).ToList();
        Assert.Equal("/app", ((WorkdirInstruction)i[1]).Path);
        Assert.Equal("app", ((UserInstruction)i[2]).User);
        Assert.Equal(["8080"], ((ExposeInstruction)i[3]).Ports);
        Assert.Equal("SIGINT", ((StopSignalInstruction)i[4]).Signal);
        Assert.Equal(["/app/data"], ((VolumeInstruction)i[5]).Paths);
        var copy = (CopyInstruction)i[6];
        Assert.Equal(("app:app", "src/app", "/app/"), (copy.Chown, copy.Sources[0], copy.Destination));
        Assert.Equal(new KeyValue("app.version", "8080"), ((LabelInstruction)i[7]).Labels[0]);
        Assert.Equal("echo $D", ((RunInstruction)i[8]).Command.Arguments[0]);
        Assert.Equal("echo $D", ((CmdInstruction)i[9]).Command.Arguments[0]);
        Assert.Equal("$D", ((EntrypointInstruction)i[10]).Command.Arguments[0]);
        Assert.Equal("COPY $D x", ((OnbuildInstruction)i[11]).TriggerText);
    }

    [Fact]
    public void Steps_carry_scope_and_workdir()
    {
        var stage = Stage(Evaluate("FROM scratch\nWORKDIR /src\nWORKDIR app/../web\nARG CONFIG=Release\nRUN dotnet publish -c $CONFIG\n"), 0);
        Assert.Equal("/src/web", stage.Steps[1].Workdir);
        Assert.Equal("Release", stage.Steps[3].Lookup("CONFIG"));
        Assert.Equal("/src/web", stage.FinalWorkdir);
    }

    [Fact]
    public void From_stage_inherits_env_and_workdir_but_not_args()
    {
        var evaluation = Evaluate("FROM scratch AS base\nARG A=1\nENV E=env\nWORKDIR /app\nFROM base\nENV X=${A:-noarg}-$E\n");
        var stage = Stage(evaluation, 1);
        Assert.Equal("noarg-env", stage.FinalEnv["X"]);
        Assert.Equal("/app", stage.FinalWorkdir);
    }

    [Fact]
    public void Base_image_env_is_used_when_the_caller_knows_it()
    {
        var dockerfile = DockerfileParser.Parse("FROM mcr.microsoft.com/dotnet/aspnet:8.0\nUSER $APP_UID\n");
        var evaluation = DockerfileEvaluation.Create(dockerfile, BuildArguments.None,
            image => image.EndsWith("aspnet:8.0", StringComparison.Ordinal) ? new ImageDefaults(new Dictionary<string, string> { ["APP_UID"] = "1654" }, "/app") : null);
        var stage = evaluation.Resolve(evaluation.Graph.Nodes[0]);
        Assert.Equal("1654", ((UserInstruction)stage.Steps[0].Instruction).User);
        Assert.Equal("/app", stage.Steps[0].Workdir);
    }

    [Fact]
    public void Invalid_port_after_expansion_fails_at_the_line()
    {
        var evaluation = Evaluate("FROM scratch\nARG P=http\nEXPOSE $P\n");
        var error = Assert.Throws<SourceException>(() => Stage(evaluation, 0));
        Assert.Equal(3, error.Location.Line);
        Assert.Contains("'http' is not a port", error.Message);
        Assert.Equal(["8000-8010/tcp", "53/UDP"], ((ExposeInstruction)Stage(Evaluate("FROM scratch\nEXPOSE 8000-8010/tcp 53/UDP"), 0).Steps[0].Instruction).Ports);
    }

    [Fact]
    public void Required_arg_error_names_the_line()
    {
        var evaluation = Evaluate("FROM scratch\nARG VERSION\nLABEL v=\"${VERSION:?pass --build-arg VERSION}\"\n");
        var error = Assert.Throws<SourceException>(() => Stage(evaluation, 0));
        Assert.StartsWith("Dockerfile:3:1:", error.Message);
        Assert.Equal("1.2", ((LabelInstruction)Stage(Evaluate("FROM scratch\nARG VERSION\nLABEL v=${VERSION:?x}\n", "VERSION=1.2"), 0).Steps[1].Instruction).Labels[0].Value);
    }

    [Fact]
    public void Unused_build_args_are_reported_except_proxies()
    {
        var evaluation = Evaluate("ARG G\nFROM scratch\nARG USED\n", "G=1", "USED=2", "TYPO=3", "HTTP_PROXY=http://proxy");
        Assert.Equal(["TYPO"], evaluation.UnusedBuildArgs(evaluation.Graph.Nodes));
    }

    [Fact]
    public void Build_args_parse_from_items_and_environment()
    {
        var arguments = BuildArguments.Parse(["A=1", "B=x=y", "FROM_ENV", "MISSING"], Amd64, Amd64, name => name == "FROM_ENV" ? "env" : null);
        Assert.Equal(new Dictionary<string, string> { ["A"] = "1", ["B"] = "x=y", ["FROM_ENV"] = "env" }, arguments.Values);
        Assert.Throws<DockyardException>(() => BuildArguments.Parse(["=1"]));
    }

    [Fact]
    public void Empty_base_image_after_expansion_is_an_error()
    {
        var error = Assert.Throws<SourceException>(() => Evaluate("ARG IMAGE\nFROM $IMAGE\n"));
        Assert.Equal(2, error.Location.Line);
        Assert.Contains("expands to an empty name", error.Message);
    }
}

public class ExpansionDetailsTests
{
    private static ResolvedStage Resolve(string text)
    {
        var evaluation = DockerfileEvaluation.Create(DockerfileParser.Parse(text), BuildArguments.Parse([], new Platform("linux", "amd64"), new Platform("linux", "amd64"), _ => null));
        return evaluation.Resolve(evaluation.Graph.Nodes[^1]);
    }

    [Fact]
    public void Copy_heredoc_body_expands_variables_unless_the_delimiter_is_quoted()
    {
        var stage = Resolve("FROM scratch\nARG NAME=web\nCOPY <<EOF <<'RAW' /etc/\nname=\"$NAME\" \\$NOT\nEOF\nname=$NAME\nRAW\n");
        var copy = (CopyInstruction)stage.Steps[1].Instruction;
        Assert.Equal("name=\"web\" \\$NOT\n", copy.Heredocs[0].Content);
        Assert.Equal("name=$NAME\n", copy.Heredocs[1].Content);
    }

    [Fact]
    public void Run_mount_options_expand_but_not_from()
    {
        var stage = Resolve("FROM scratch AS src\nFROM scratch\nARG CACHE=/root/.nuget/packages\nRUN --mount=type=cache,target=$CACHE,id=nuget-$CACHE --mount=from=src,target=/s echo $CACHE\n");
        var run = (RunInstruction)stage.Steps[1].Instruction;
        Assert.Equal("/root/.nuget/packages", run.Mounts[0].Target);
        Assert.Equal("nuget-/root/.nuget/packages", run.Mounts[0].Options["id"]);
        Assert.Equal("src", run.Mounts[1].From);
        Assert.Equal("echo $CACHE", run.Command.Arguments[0]);
    }

    [Fact]
    public void Invalid_from_platform_fails_at_the_from_line()
    {
        var error = Assert.Throws<SourceException>(() => Resolve("FROM scratch\nFROM --platform=amd64 alpine\n"));
        Assert.Equal(2, error.Location.Line);
        Assert.Contains("--platform=amd64 is not a platform", error.Message);
    }
}
