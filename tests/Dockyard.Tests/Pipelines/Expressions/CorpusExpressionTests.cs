using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;
using YamlDotNet.RepresentationModel;

namespace Dockyard.Tests.Pipelines.Expressions;

public class CorpusExpressionTests
{
    private static string FixturePath() => Dockyard.Tests.Pipelines.Fixtures.FixtureFile.PathOf("corpus-rules-if.yml");

    private static IEnumerable<(string Expression, string From, int Line)> Load(string section)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(FixturePath()))
        {
            stream.Load(reader);
        }

        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        if (!root.Children.TryGetValue(new YamlScalarNode(section), out var list))
        {
            yield break;
        }

        foreach (var item in ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>())
        {
            var expression = (YamlScalarNode)item.Children[new YamlScalarNode("if")];
            var from = ((YamlScalarNode)item.Children[new YamlScalarNode("from")]).Value!;
            yield return (expression.Value!, from, (int)expression.Start.Line);
        }
    }

    [Fact]
    public void Every_valid_corpus_expression_parses_and_evaluates()
    {
        var expressions = Load("expressions").ToList();
        Assert.True(expressions.Count > 200, $"fixture has only {expressions.Count} expressions");
        var failures = new List<string>();
        var variables = new Dictionary<string, string>
        {
            ["CI_PIPELINE_SOURCE"] = "push",
            ["CI_COMMIT_BRANCH"] = "main",
            ["CI_COMMIT_REF_NAME"] = "main",
            ["CI_DEFAULT_BRANCH"] = "main",
            ["CI_PROJECT_PATH"] = "group/project",
            ["CI_COMMIT_MESSAGE"] = "Fix things\n\nbody",
            ["GITLAB_FEATURES"] = "",
        };
        foreach (var (text, from, line) in expressions)
        {
            try
            {
                var expression = RuleExpression.Parse(text, new SourceLocation("corpus-rules-if.yml", line, 1));
                expression.Evaluate(name => variables.GetValueOrDefault(name));
                var normalized = expression.ToString();
                Assert.Equal(normalized, RuleExpression.Parse(normalized, default).ToString());
            }
            catch (DockyardException exception)
            {
                failures.Add($"{from}: {exception.Message}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void Corpus_expressions_gitlab_rejects_are_rejected()
    {
        foreach (var (text, from, _) in Load("invalid"))
        {
            Assert.False(RuleExpression.TryParse(text, out _, out _, out _), $"{from}: '{text}' should be rejected");
        }
    }
}
