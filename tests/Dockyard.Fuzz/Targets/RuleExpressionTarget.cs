using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Pipelines.Expressions;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// The <c>rules:if</c> grammar: parses the input's first line as an expression and evaluates it against variables
/// taken from the remaining lines (<c>NAME=value</c>), so that <c>=~</c> runs the RE2 translation on real values.
/// Its normalised form must parse again to the same form.
/// </summary>
public sealed class RuleExpressionTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "rules-if";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var lines = Encoding.UTF8.GetString(input).Split('\n');
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1))
            if (line.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq) variables[line[..eq]] = line[(eq + 1)..];
        var expression = RuleExpression.Parse(lines[0], new SourceLocation(".gitlab-ci.yml", 1, 1));
        expression.Evaluate(name => variables.GetValueOrDefault(name));
        var normalised = expression.ToString();
        var again = RuleExpression.Parse(normalised, new SourceLocation(".gitlab-ci.yml", 1, 1)).ToString();
        if (again != normalised)
            throw new InvalidOperationException($"the normalised form '{normalised}' parses to a different form '{again}'");
    }
}
