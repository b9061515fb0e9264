using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Pipelines.Yaml;

public class YamlFileReaderTests
{
    private static YamlMapping Read(string yaml) => (YamlMapping)YamlFileReader.ReadDocuments(yaml, "ci.yml")[0]!;

    private static string Text(YamlNode? node) => Assert.IsType<YamlScalar>(node).Text;

    [Fact]
    public void Keeps_key_order_and_positions()
    {
        var map = Read("b: 1\na:\n  - x\n  - y\n");
        Assert.Equal(["b", "a"], map.Entries.Select(e => e.Key));
        Assert.Equal(new SourceLocation("ci.yml", 2, 1), map.Entry("a")!.Value.KeyLocation);
        var list = Assert.IsType<YamlSequence>(map["a"]);
        Assert.Equal(new SourceLocation("ci.yml", 3, 5), list.Items[0].Location);
    }

    [Fact]
    public void Duplicate_keys_last_wins_in_first_position()
    {
        var map = Read("script: [a]\nstage: build\nscript: [b]\n");
        Assert.Equal(["script", "stage"], map.Entries.Select(e => e.Key));
        Assert.Equal("b", Text(Assert.IsType<YamlSequence>(map["script"]).Items[0]));
    }

    [Fact]
    public void Merge_key_overrides_earlier_explicit_keys_like_psych()
    {
        var map = Read(".a: &a\n  stage: from-anchor\n  image: alpine\njob:\n  stage: explicit\n  <<: *a\n  when: manual\n");
        var job = Assert.IsType<YamlMapping>(map["job"]);
        Assert.Equal("from-anchor", Text(job["stage"]));
        Assert.Equal(["stage", "image", "when"], job.Entries.Select(e => e.Key));
    }

    [Fact]
    public void Later_explicit_keys_override_merge_key()
    {
        var job = (YamlMapping)Read(".a: &a\n  stage: a\njob:\n  <<: *a\n  stage: b\n")["job"]!;
        Assert.Equal("b", Text(job["stage"]));
    }

    [Fact]
    public void Merge_key_list_earlier_anchor_wins()
    {
        var job = (YamlMapping)Read(".a: &a\n  x: a\n.b: &b\n  x: b\n  y: b\njob:\n  <<: [*a, *b]\n")["job"]!;
        Assert.Equal("a", Text(job["x"]));
        Assert.Equal("b", Text(job["y"]));
    }

    [Fact]
    public void Alias_of_a_sequence_becomes_a_nested_item()
    {
        var map = Read(".r: &r\n  - x\njob:\n  - *r\n  - y\n");
        var items = Assert.IsType<YamlSequence>(map["job"]).Items;
        Assert.IsType<YamlSequence>(items[0]);
        Assert.Equal("y", Text(items[1]));
    }

    [Fact]
    public void Reference_tag_is_a_dedicated_node()
    {
        var map = Read("job:\n  script: !reference [.setup, script]\n");
        var reference = Assert.IsType<YamlReference>(((YamlMapping)map["job"]!)["script"]);
        Assert.Equal([".setup", "script"], reference.Path);
        Assert.Equal(new SourceLocation("ci.yml", 2, 11), reference.Location);
    }

    [Theory]
    [InlineData("yes", YamlScalarKind.Boolean)]
    [InlineData("Off", YamlScalarKind.Boolean)]
    [InlineData("~", YamlScalarKind.Null)]
    [InlineData("", YamlScalarKind.Null)]
    [InlineData("0x1F", YamlScalarKind.Integer)]
    [InlineData("1_000", YamlScalarKind.Integer)]
    [InlineData("1.5e3", YamlScalarKind.Float)]
    [InlineData("1.2.3", YamlScalarKind.String)]
    [InlineData("y", YamlScalarKind.String)]
    public void Resolves_plain_scalars_as_yaml_1_1(string text, YamlScalarKind kind)
    {
        var map = Read($"v: {text}\n");
        Assert.Equal(kind, Assert.IsType<YamlScalar>(map["v"]).Kind);
    }

    [Fact]
    public void Quoted_scalars_stay_strings_with_original_text()
    {
        var v = Assert.IsType<YamlScalar>(Read("v: 'yes'\nn: 010\n")["v"]);
        Assert.Equal(YamlScalarKind.String, v.Kind);
        Assert.Equal("8", ((YamlScalar)Read("n: 010\n")["n"]!).StringValue);
    }

    [Fact]
    public void Invalid_yaml_points_at_the_problem()
    {
        var ex = Assert.Throws<SourceException>(() => Read("job:\n  script: [a\n"));
        Assert.Equal("ci.yml", ex.Location.File);
        Assert.True(ex.Location.Line >= 2, ex.Message);
        Assert.Contains("invalid YAML", ex.Message);
    }

    [Fact]
    public void A_malformed_tag_is_invalid_yaml_at_its_line() // found by the yaml fuzz target (corpus/yaml/malformed-tag)
    {
        var ex = Assert.Throws<SourceException>(() => Read(System.Text.Encoding.UTF8.GetString(FuzzCorpus.Input("yaml", "malformed-tag"))));
        Assert.Equal(new SourceLocation("ci.yml", 1, 1), ex.Location);
        Assert.Contains("invalid YAML: Global tags must be valid URIs.", ex.Message);
        Assert.DoesNotContain("Parameter", ex.Message);
    }

    [Fact]
    public void Unknown_alias_is_reported_at_its_position()
    {
        var ex = Assert.Throws<SourceException>(() => Read("job:\n  <<: *missing\n"));
        Assert.Equal(new SourceLocation("ci.yml", 2, 7), ex.Location);
        Assert.Contains("*missing", ex.Message);
    }

    [Fact]
    public void Merge_of_a_scalar_is_an_error()
    {
        var ex = Assert.Throws<SourceException>(() => Read("a: &a x\njob:\n  <<: *a\n"));
        Assert.Contains("merge key", ex.Message);
    }

    [Fact]
    public void Reads_multiple_documents()
    {
        var docs = YamlFileReader.ReadDocuments("spec:\n  inputs: {}\n---\njob: {script: [x]}\n", "c.yml");
        Assert.Equal(2, docs.Count);
        Assert.True(((YamlMapping)docs[0]!).ContainsKey("spec"));
    }

    [Fact]
    public void Deep_merge_merges_hashes_and_replaces_lists()
    {
        var a = Read("v: {A: 1, B: 2}\ns: [x]\n");
        var b = Read("v: {B: 3}\ns: [y]\n");
        var merged = YamlDeepMerge.Merge(a, b);
        var v = (YamlMapping)merged["v"]!;
        Assert.Equal("1", Text(v["A"]));
        Assert.Equal("3", Text(v["B"]));
        Assert.Equal("y", Text(((YamlSequence)merged["s"]!).Items.Single()));
    }

    [Fact]
    public void Did_you_mean_finds_close_keywords()
    {
        Assert.Equal(" (did you mean 'script'?)", Suggestions.DidYouMean("scirpt", ["script", "stage"]));
        Assert.Equal("", Suggestions.DidYouMean("completely-different", ["script", "stage"]));
    }
}
