using Dockyard.Diagnostics;
using Dockyard.Jobs.Artifacts;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Jobs.Cache;

/// <summary>One entry of a job's <c>cache:</c>.</summary>
/// <param name="Key">The key as written (null: <c>default</c>), unless <paramref name="KeyFiles"/> is set.</param>
/// <param name="KeyFiles">The <c>key:files</c>, or empty.</param>
/// <param name="KeyPrefix">The <c>key:prefix</c>, or null.</param>
/// <param name="Paths">The paths (doublestar globs).</param>
/// <param name="Untracked">Whether untracked files are cached too.</param>
/// <param name="Policy"><c>pull</c>, <c>push</c> or <c>pull-push</c>.</param>
/// <param name="When"><c>on_success</c>, <c>on_failure</c> or <c>always</c>: when the cache is saved.</param>
/// <param name="FallbackKeys">Keys tried in order when the key has no cache yet.</param>
/// <param name="Location">Where the entry is written.</param>
public sealed record CacheSpec(string? Key, IReadOnlyList<string> KeyFiles, string? KeyPrefix, IReadOnlyList<string> Paths, bool Untracked,
    string Policy, string When, IReadOnlyList<string> FallbackKeys, SourceLocation Location)
{
    /// <summary>At most this many caches per job, as GitLab allows.</summary>
    public const int MaxPerJob = 4;

    /// <summary>Whether the cache is restored before the script.</summary>
    public bool Pulls => Policy is "pull" or "pull-push";

    /// <summary>Whether the cache is saved after a job that ended <paramref name="succeeded"/>.</summary>
    public bool PushesAfter(bool succeeded) => Policy is "push" or "pull-push" && (When == "always" || (When == "on_success") == succeeded);

    /// <summary>Reads a job's <c>cache</c> (a hash or a list of hashes; null: none).</summary>
    public static IReadOnlyList<CacheSpec> Read(YamlNode? node)
    {
        var entries = node switch
        {
            null or YamlScalar { IsNull: true } => [],
            YamlMapping hash => [hash],
            YamlSequence list => list.Items.Select(i => i as YamlMapping ?? throw new SourceException(i.Location, $"a cache entry is {i.KindName}", "write each cache as a hash with key: and paths:")).ToList(),
            _ => throw new SourceException(node.Location, $"cache is {node.KindName}", "write cache as a hash with key: and paths:"),
        };
        if (entries.Count > MaxPerJob)
            throw new SourceException(node!.Location, $"a job has {entries.Count} caches; GitLab allows at most {MaxPerJob}", "merge the caches that share a lifetime");
        return entries.Select(ReadOne).ToList();
    }

    /// <summary>The entry with its <c>policy</c> expanded (GitLab allows <c>policy: $VAR</c>); an unknown result is an error.</summary>
    public CacheSpec Resolve(Func<string, string> expand)
    {
        ArgumentNullException.ThrowIfNull(expand);
        if (!Policy.Contains('$')) return this;
        var policy = expand(Policy);
        CheckPolicy(policy, Location);
        return this with { Policy = policy };
    }

    private static void CheckPolicy(string policy, SourceLocation location)
    {
        if (policy is not ("pull" or "push" or "pull-push"))
            throw new SourceException(location, $"cache:policy '{policy}' is unknown", "use pull, push or pull-push");
    }

    private static CacheSpec ReadOne(YamlMapping hash)
    {
        string? key = null, prefix = null;
        IReadOnlyList<string> files = [];
        switch (hash["key"])
        {
            case YamlMapping keyHash:
                files = YamlValues.Strings(keyHash["files"]);
                prefix = YamlValues.String(keyHash["prefix"]);
                if (files.Count == 0) throw new SourceException(keyHash.Location, "cache:key needs files:", "list one or two files whose content decides the key");
                break;
            case var k:
                key = YamlValues.String(k);
                break;
        }

        var policy = YamlValues.String(hash["policy"]) ?? "pull-push";
        if (!policy.Contains('$')) CheckPolicy(policy, hash["policy"]?.Location ?? hash.Location);
        var when = YamlValues.String(hash["when"]) ?? "on_success";
        if (when is not ("on_success" or "on_failure" or "always"))
            throw new SourceException(hash["when"]!.Location, $"cache:when '{when}' is unknown", "use on_success, on_failure or always");
        return new CacheSpec(key, files, prefix, YamlValues.Strings(hash["paths"]), YamlValues.Boolean(hash["untracked"]) ?? false,
            policy, when, YamlValues.Strings(hash["fallback_keys"]), hash.Location);
    }
}
