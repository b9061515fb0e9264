using Dockyard.Diagnostics;

namespace Dockyard.Pipelines.Rules;

/// <summary>
/// What rule clauses are checked against: <c>if</c> expressions with variables, <c>exists</c> globs over the project's files,
/// and the files <c>changes</c> compares with. The loader wires it to the expression, glob and git modules.
/// </summary>
/// <param name="EvaluateIf">Evaluates an <c>if</c> expression (text, where it is written) with a variable lookup; throws a <see cref="SourceException"/> when it is invalid.</param>
/// <param name="Exists">True when a glob (relative to the project root) matches at least one file.</param>
/// <param name="Changed">True when a glob matches a file the pipeline changed, or changed since <c>compare_to</c> when given; true when there is no list of changed paths.</param>
/// <param name="Expand">Expands <c>$VAR</c> in <c>exists</c>/<c>changes</c> paths with a variable lookup (undefined references kept, as GitLab's <c>expand_existing</c>).</param>
internal sealed record RuleConditions(
    Func<string, SourceLocation, Func<string, string?>, bool> EvaluateIf,
    Func<string, bool> Exists,
    Func<string, CompareTo?, bool> Changed,
    Func<string, Func<string, string?>, string> Expand);
