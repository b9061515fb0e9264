using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// Resolves <c>extends:</c> on job definitions: parents first (up to <see cref="MaxDepth"/> levels), later parents win
/// over earlier ones, the job's own keys win over all; hashes deep-merge, lists and scalars replace.
/// </summary>
internal sealed class ExtendsResolver
{
    /// <summary>GitLab's nesting limit for <c>extends</c>.</summary>
    public const int MaxDepth = 11;

    private readonly IReadOnlyDictionary<string, YamlEntry> _definitions;
    private readonly Dictionary<string, YamlMapping> _resolved = new(StringComparer.Ordinal);
    private readonly List<string> _stack = [];

    /// <param name="definitions">Every job and hidden job by name, with its hash.</param>
    public ExtendsResolver(IReadOnlyDictionary<string, YamlEntry> definitions) => _definitions = definitions;

    /// <summary>The job's hash with all of its <c>extends</c> merged in and the <c>extends</c> key removed.</summary>
    public YamlMapping Resolve(string name)
    {
        if (_resolved.TryGetValue(name, out var done)) return done;
        var entry = _definitions[name];
        var own = (YamlMapping)entry.Value;
        var extends = own.Entry("extends");
        if (extends is null)
        {
            _resolved[name] = own;
            return own;
        }
        _stack.Add(name);
        if (_stack.Count > MaxDepth)
            throw new SourceException(extends.Value.KeyLocation, $"job '{_stack[0]}': extends is nested more than {MaxDepth} levels ({string.Join(" → ", _stack)}).",
                "Flatten the chain of templates (GitLab allows 11 levels, recommends 3).");
        var merged = new YamlMapping(own.Location);
        foreach (var parent in Parents(extends.Value.Value))
        {
            if (!_definitions.TryGetValue(parent.Text, out var parentEntry))
                throw new SourceException(parent.Location, $"job '{name}' extends '{parent.Text}', which does not exist{Suggestions.DidYouMean(parent.Text, _definitions.Keys)}.",
                    "Define that job or template (in this file or an included one) or fix the name.");
            if (parentEntry.Value is not YamlMapping)
                throw new SourceException(parent.Location, $"job '{name}' extends '{parent.Text}', which is {parentEntry.Value.KindName}, not a hash.",
                    "extends can only name jobs or hidden jobs (hashes).");
            int cycleStart = _stack.IndexOf(parent.Text);
            if (cycleStart >= 0)
                throw new SourceException(parent.Location,
                    $"circular dependency detected in extends: {string.Join(" → ", _stack.Skip(cycleStart).Append(parent.Text))}.",
                    "Remove one of the extends so that the chain ends.");
            merged = YamlDeepMerge.Merge(merged, Resolve(parent.Text));
        }
        _stack.RemoveAt(_stack.Count - 1);
        var ownWithout = new YamlMapping(own);
        ownWithout.Remove("extends");
        var result = YamlDeepMerge.Merge(merged, ownWithout);
        result.Remove("extends");
        _resolved[name] = result;
        return result;
    }

    private static IEnumerable<YamlScalar> Parents(YamlNode extends) => extends switch
    {
        YamlScalar { IsNull: false } s => [s],
        YamlScalar => [],
        YamlSequence list => list.Items.Select(i => i as YamlScalar is { IsNull: false } s ? s
            : throw new SourceException(i.Location, $"extends entries must be job names, not {i.KindName}.", "Write extends: [.a, .b].")),
        _ => throw new SourceException(extends.Location, $"extends must be a job name or a list of names, not {extends.KindName}.", "Write extends: .template."),
    };
}
