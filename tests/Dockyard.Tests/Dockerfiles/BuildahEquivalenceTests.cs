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
    private readonly TemporaryDirectory _directory = new();

    private string ContextDirectory => _directory.Path;

    public void Dispose()
    {
        _buildah.Dispose();
        _directory.Dispose();
    }

    private void Write(string relative, string content = "x") => _directory.Write(relative, content);

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

    [Fact]
    public void Expanded_config_matches_buildah()
    {
        Write("Dockerfile", ExpansionDockerfile);
        _buildah.Build(ContextDirectory, "expansion", "B=over", "GLOBAL=g2");
        var config = _buildah.Config("expansion");

        var dockerfile = DockerfileParser.Parse(ExpansionDockerfile);
        var arguments = BuildArguments.Parse(["B=over", "GLOBAL=g2"], new Platform("linux", "amd64"), new Platform("linux", "amd64"), _ => null);
        var evaluation = DockerfileEvaluation.Create(dockerfile, arguments);
        var stage = evaluation.Resolve(evaluation.Graph.Nodes[0]);
        var instructions = stage.Steps.Select(s => s.Instruction).ToList();

        Assert.Equal(config.GetProperty("Env").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal),
            stage.FinalEnv.Select(e => $"{e.Key}={e.Value}").Order(StringComparer.Ordinal));
        var labels = instructions.OfType<LabelInstruction>().SelectMany(l => l.Labels).ToDictionary(l => l.Key, l => l.Value);
        labels["io.buildah.version"] = config.GetProperty("Labels").GetProperty("io.buildah.version").GetString()!;
        Assert.Equal(Map(config.GetProperty("Labels")), labels);
        Assert.Equal(config.GetProperty("WorkingDir").GetString(), stage.FinalWorkdir);
        Assert.Equal(config.GetProperty("User").GetString(), instructions.OfType<UserInstruction>().Last().User);
        Assert.Equal(config.GetProperty("StopSignal").GetString(), instructions.OfType<StopSignalInstruction>().Last().Signal);
        Assert.Equal(config.GetProperty("ExposedPorts").EnumerateObject().Select(p => p.Name).Order(),
            instructions.OfType<ExposeInstruction>().SelectMany(e => e.Ports).Select(p => p.Contains('/') ? p : p + "/tcp").Order());
        Assert.Equal(config.GetProperty("Volumes").EnumerateObject().Select(p => p.Name), instructions.OfType<VolumeInstruction>().SelectMany(v => v.Paths));
        Assert.Equal(Strings(config.GetProperty("Entrypoint")), instructions.OfType<EntrypointInstruction>().Single().Command.Arguments);
        var cmd = instructions.OfType<CmdInstruction>().Single().Command;
        Assert.False(cmd.IsExecForm);
        Assert.Equal(Strings(config.GetProperty("Cmd")), new[] { "/bin/sh", "-c" }.Concat(cmd.Arguments).ToArray());
    }

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

    private static string[] Strings(JsonElement element) => element.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
