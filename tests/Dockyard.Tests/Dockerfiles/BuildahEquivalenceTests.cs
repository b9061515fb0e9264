using Dockyard.Tests.Infrastructure;
using System.Text.Json;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Ignore;
using Dockyard.Dockerfiles.Model;
using Dockyard.Dockerfiles.Syntax;
using Dockyard.Images;

namespace Dockyard.Tests.Dockerfiles;

/// <summary>Our parser, expansion and .dockerignore against a real engine (buildah bud) on the same inputs.</summary>
public sealed class BuildahEquivalenceTests : IDisposable
{
    private readonly Buildah _buildah = new();
    private readonly TempDirectory _directory = new("dockerfiles");

    private string ContextDirectory => _directory.Path;

    public void Dispose()
    {
        _buildah.Dispose();
        _directory.Dispose();
    }

    private void Write(string relative, string content = "x") => _directory.WriteFile(relative, content);

    /// <summary>Buildah 1.28's lexer lacks <c>${VAR-x}</c>, <c>${VAR#x}</c>, <c>${VAR%x}</c>; everything else here is BuildKit syntax.</summary>
    private const string ExpansionDockerfile = """
        ARG GLOBAL=g1
        FROM scratch
        ARG GLOBAL
        ARG A=one B="two words" C=${A}-x
        ENV E1=$A E2="${B}" E3=${UNSET:-dflt} E4=${A:+alt} E5='$A' E6=\$A E8="${C}" E9="${GLOBAL}s"
        ENV abc=hello
        ENV abc=bye def=$abc
        ENV LEGACY value "with" spaces
        LABEL "quoted.key"="$B" plain=${GLOBAL} multi="a \
           b"
        WORKDIR /base
        WORKDIR sub/../$A
        USER ${A}:grp
        EXPOSE 8080 53/udp
        STOPSIGNAL SIGINT
        VOLUME ["/data", "/logs"]
        ENTRYPOINT ["dotnet", "app.dll"]
        CMD echo $A
        """;

    /// <summary>
    /// The backtick escape for continuations. (Buildah 1.28 keeps '\' as the escape when expanding words whatever the
    /// directive says, unlike BuildKit, so backslashes, escaped quotes and dollars are covered by WordExpanderTests instead.)
    /// </summary>
    private const string EscapeDockerfile = """
        # escape=`
        FROM scratch
        ENV S='it''s' `
            U="a b"
        LABEL a=b`
        c
        WORKDIR /w`
        ork
        USER 1000
        ENTRYPOINT echo `
          x
        """;

    private const string MultiStageDockerfile = """
        ARG TAG=3.20
        FROM scratch AS base
        ENV A=1
        LABEL stage=base
        WORKDIR /app
        EXPOSE 80/tcp 443
        FROM base AS unused
        ENV UNUSED=1
        FROM base AS mid
        ARG V=2
        ENV B=$A-$V
        LABEL stage=mid version="${TAG}"
        FROM mid
        ARG TAG
        WORKDIR sub
        ENV C="${B:+set}" D=${TAG}
        ENV E ${A} legacy value
        CMD ["dotnet", "App.dll"]
        """;

    public static TheoryData<string, string[]> ConfigDockerfiles => new()
    {
        { ExpansionDockerfile, ["B=over", "GLOBAL=g2"] },
        { EscapeDockerfile, [] },
        { MultiStageDockerfile, ["V=9"] },
    };

    [Theory]
    [MemberData(nameof(ConfigDockerfiles))]
    public void Expanded_config_matches_buildah(string text, string[] buildArgs)
    {
        Write("Dockerfile", text);
        _buildah.Build(ContextDirectory, "config", buildArgs);
        var config = _buildah.Config("config");

        var dockerfile = DockerfileParser.Parse(text);
        var arguments = BuildArguments.Parse(buildArgs, new Platform("linux", "amd64"), new Platform("linux", "amd64"), _ => null);
        var evaluation = DockerfileEvaluation.Create(dockerfile, arguments);
        var target = evaluation.Graph.Target(null);
        var stage = evaluation.Resolve(target);
        var instructions = Chain(evaluation, target).Select(s => s.Instruction).ToList();

        Assert.Equal(Strings(config, "Env").Order(StringComparer.Ordinal), stage.FinalEnv.Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
        var labels = instructions.OfType<LabelInstruction>().SelectMany(l => l.Labels).GroupBy(l => l.Key).ToDictionary(g => g.Key, g => g.Last().Value);
        labels["io.buildah.version"] = config.GetProperty("Labels").GetProperty("io.buildah.version").GetString()!;
        Assert.Equal(Map(config.GetProperty("Labels")), labels);
        Assert.Equal(config.GetProperty("WorkingDir").GetString(), stage.FinalWorkdir);
        Assert.Equal(Text(config, "User"), instructions.OfType<UserInstruction>().LastOrDefault()?.User ?? "");
        Assert.Equal(Text(config, "StopSignal"), instructions.OfType<StopSignalInstruction>().LastOrDefault()?.Signal ?? "");
        Assert.Equal(Names(config, "ExposedPorts").Order(),
            instructions.OfType<ExposeInstruction>().SelectMany(e => e.Ports).Select(p => p.Contains('/') ? p : p + "/tcp").Distinct().Order());
        Assert.Equal(Names(config, "Volumes"), instructions.OfType<VolumeInstruction>().SelectMany(v => v.Paths));
        Assert.Equal(Strings(config, "Entrypoint"), ConfigForm(instructions.OfType<EntrypointInstruction>().LastOrDefault()?.Command));
        Assert.Equal(Strings(config, "Cmd"), ConfigForm(instructions.OfType<CmdInstruction>().LastOrDefault()?.Command));
    }

    private static IEnumerable<ResolvedStep> Chain(DockerfileEvaluation evaluation, Dockyard.Dockerfiles.Graph.StageNode node) =>
        node.BaseStage is { } parent ? Chain(evaluation, evaluation.Graph.Nodes[parent]).Concat(evaluation.Resolve(node).Steps) : evaluation.Resolve(node).Steps;

    private static string[] ConfigForm(CommandForm? command) =>
        command is null ? [] : command.IsExecForm ? [.. command.Arguments] : ["/bin/sh", "-c", .. command.Arguments];

    private static string Text(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static string[] Strings(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(e => e.GetString()!).ToArray() : [];

    private static IEnumerable<string> Names(JsonElement config, string name) =>
        config.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.EnumerateObject().Select(p => p.Name).ToList() : [];

    public static TheoryData<string> IgnoreFiles => new()
    {
        "a\n!a/b/c.txt\n",
        "**/bin\n**/obj\n*.md\n!README.md\n",
        "*/temp*\ntemp?\n",
        "/root.txt\n./dir//sub/\n  spaced.txt  \n# comment.txt\n",
        "docs\n!docs/keep\ndocs/keep/secret.txt\n",
        "**\n!src/App/*.cs\n!Dockerfile\n",
        "src/App/[bo]??\n*.tx?\n!dir/**/x.txt\n",
    };

    [Theory]
    [MemberData(nameof(IgnoreFiles))]
    public void Dockerignore_selects_the_same_files_as_buildah(string ignore)
    {
        string[] files =
        [
            "root.txt", "README.md", "CHANGELOG.md", "spaced.txt", "comment.txt", "tempa", "tempab", "a/b/c.txt", "a/d.txt", "dir/sub/x.txt", "dir/y.txt",
            "src/App/bin/Debug/app.dll", "src/App/obj/x.json", "src/App/Program.cs", "src/App/temp.log", "docs/keep/ok.txt", "docs/keep/secret.txt",
            "docs/other.md", "somedir/temporary.txt",
        ];
        foreach (var file in files) Write(file);
        Write("Dockerfile", "FROM scratch\nCOPY . /ctx/\n");
        Write(".dockerignore", ignore);
        _buildah.Build(ContextDirectory, "ignore");
        var expected = _buildah.Files("ignore", "/ctx");
        Assert.Equal(expected, BuildContext.Open(ContextDirectory).Enumerate().Select(e => e.Path));
    }

    private static Dictionary<string, string> Map(JsonElement element) => element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

}
