using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>
/// Applies <c>default:</c> (and the deprecated global image/services/cache/before_script/after_script) to a job:
/// a key the job sets (even to <c>[]</c> or null) is kept, missing ones are filled, as <c>inherit:default</c> allows.
/// </summary>
internal sealed class JobDefaults
{
    private readonly YamlMapping _defaults;

    public JobDefaults(YamlMapping? defaultSection, YamlMapping root)
    {
        _defaults = new YamlMapping(root.Location);
        foreach (var key in JobKeywords.DeprecatedGlobals)
            if (root.Entry(key) is { } e) _defaults.Set(e);
        if (defaultSection is null) return;
        foreach (var e in defaultSection.Entries)
        {
            if (!JobKeywords.Default.Contains(e.Key))
                throw new SourceException(e.KeyLocation, $"default: unknown keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, JobKeywords.Default)}.",
                    $"default: accepts {string.Join(", ", JobKeywords.Default.Order())}.");
            _defaults.Set(e);
        }
    }

    /// <summary>Returns the job hash with the inherited defaults added.</summary>
    public YamlMapping Apply(string job, YamlMapping definition)
    {
        var inherit = Inheritance.Read(definition, job, "default");
        YamlMapping? result = null;
        foreach (var e in _defaults.Entries)
        {
            if (definition.ContainsKey(e.Key) || !inherit.Allows(e.Key)) continue;
            result ??= new YamlMapping(definition);
            result.Set(e);
        }
        return result ?? definition;
    }
}

/// <summary>What a job's <c>inherit:default</c> or <c>inherit:variables</c> allows: all, none, or the listed keys.</summary>
internal sealed class Inheritance
{
    private readonly bool _all;
    private readonly HashSet<string>? _only;

    private Inheritance(bool all, HashSet<string>? only)
    {
        _all = all;
        _only = only;
    }

    public bool Allows(string key) => _all || (_only?.Contains(key) ?? false);

    public static Inheritance Read(YamlMapping job, string jobName, string kind)
    {
        if (job["inherit"] is not { } inherit || inherit is YamlScalar { IsNull: true }) return new Inheritance(true, null);
        if (inherit is not YamlMapping map)
            throw new SourceException(inherit.Location, $"job '{jobName}': inherit must be a hash with default: and/or variables:.", null);
        foreach (var e in map.Entries)
            if (e.Key is not ("default" or "variables"))
                throw new SourceException(e.KeyLocation, $"job '{jobName}': unknown inherit keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, ["default", "variables"])}.",
                    "Use inherit:default or inherit:variables.");
        return map[kind] switch
        {
            null or YamlScalar { IsNull: true } => new Inheritance(true, null),
            YamlScalar { Kind: YamlScalarKind.Boolean } b => new Inheritance(b.AsBoolean == true, null),
            YamlSequence list => new Inheritance(false, list.Items.OfType<YamlScalar>().Select(s => s.Text).ToHashSet(StringComparer.Ordinal)),
            var other => throw new SourceException(other.Location, $"job '{jobName}': inherit:{kind} must be true, false or a list of names, not {other.KindName}.", null),
        };
    }
}
