using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Graph;
using Dockyard.Dockerfiles.Syntax;

namespace Dockyard.Tests.Dockerfiles;

public class StageGraphTests
{
    private static StageGraph Graph(string text) =>
        DockerfileEvaluation.Create(DockerfileParser.Parse(text), BuildArguments.None).Graph;

    private static IEnumerable<string> Order(StageGraph graph, string? target = null) =>
        graph.BuildOrder(graph.Target(target)).Select(n => n.Stage.DisplayName);

    [Fact]
    public void Target_needs_only_its_stages_in_build_order()
    {
        var graph = Graph(DockerfileFixtures.VisualStudio);
        Assert.Equal(["base", "build", "publish", "final"], Order(graph));
        Assert.Equal(["build", "publish"], Order(graph, "publish"));
        Assert.Equal(["base"], Order(graph, "BASE"));
    }

    [Fact]
    public void From_stage_copy_from_name_index_and_image()
    {
        var graph = Graph("FROM alpine AS tools\nFROM scratch AS assets\nFROM tools\nCOPY --from=assets /a /a\nCOPY --from=0 /b /b\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\nRUN --mount=from=assets,target=/m ls\n");
        var node = graph.Nodes[2];
        Assert.Equal(0, node.BaseStage);
        Assert.Null(node.BaseImage);
        Assert.Equal(
            [(DependencyKind.Base, 0, null), (DependencyKind.CopyFrom, 1, null), (DependencyKind.CopyFrom, 0, null), (DependencyKind.CopyFrom, null, "nginx:1.27"), (DependencyKind.MountFrom, 1, null)],
            node.Dependencies.Select(d => (d.Kind, d.StageIndex, d.Image)));
        Assert.True(graph.Nodes[1].IsScratch);
        Assert.Empty(graph.Nodes[1].Dependencies);
        Assert.Equal(["tools", "assets", "2"], Order(graph));
    }

    [Fact]
    public void From_a_later_stage_name_is_an_image_but_copy_from_can_point_forward()
    {
        var graph = Graph("FROM later AS first\nCOPY --from=later /x /x\nFROM scratch AS later\n");
        Assert.Equal("later", graph.Nodes[0].BaseImage);
        Assert.Equal(1, graph.Nodes[0].Dependencies[1].StageIndex);
        Assert.Equal(["later", "first"], Order(graph, "first"));
    }

    [Fact]
    public void Unreferenced_stages_are_not_needed()
    {
        var graph = Graph("FROM alpine AS test\nRUN make test\nFROM alpine AS build\nRUN make\nFROM scratch\nCOPY --from=build /out /\n");
        Assert.Equal(["build", "2"], Order(graph));
    }

    [Fact]
    public void Cycles_are_errors_naming_the_stages()
    {
        var graph = Graph("FROM scratch AS a\nCOPY --from=b /x /x\nFROM scratch AS b\nCOPY --from=a /y /y\n");
        var error = Assert.Throws<SourceException>(() => graph.BuildOrder(graph.Target("b")));
        Assert.Contains("circular dependency between stages: b -> a -> b", error.Message);
    }

    [Fact]
    public void Bad_stage_references_fail_with_location()
    {
        var outOfRange = Assert.Throws<SourceException>(() => Graph("FROM scratch\nCOPY --from=5 /a /b\n"));
        Assert.Equal(2, outOfRange.Location.Line);
        Assert.Contains("there is no stage 5", outOfRange.Message);
        Assert.Contains("refers to the stage it is in", Assert.Throws<SourceException>(() => Graph("FROM scratch AS me\nCOPY --from=me /a /b\n")).Message);
    }

    [Fact]
    public void Unknown_target_suggests_a_stage()
    {
        var error = Assert.Throws<DockyardException>(() => Graph(DockerfileFixtures.VisualStudio).Target("publsh"));
        Assert.Contains("target stage 'publsh' could not be found. Did you mean 'publish'?", error.Message);
        Assert.Contains("Named stages: base, build, publish, final", error.Message);
    }
}
