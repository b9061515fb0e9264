using Dockyard.Diagnostics;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Mirrors;

/// <summary>
/// The registry remaps and mirrors in effect (containers-registries.conf(5) and its drop-ins, merged): one rule per
/// prefix, the last file wins. Answers where a pull of a reference really goes; pushes never consult it.
/// </summary>
public sealed class RegistriesConf
{
    /// <summary>No rules: every reference is pulled from where it names.</summary>
    public static readonly RegistriesConf Empty = new([], []);

    /// <summary>Creates a configuration from rules in file order (a later rule replaces an earlier one with the same prefix).</summary>
    /// <param name="rules">The rules, in the order the files were read.</param>
    /// <param name="files">The files read, in order (for messages).</param>
    public RegistriesConf(IEnumerable<RegistryRule> rules, IReadOnlyList<string> files)
    {
        var byPrefix = new Dictionary<string, RegistryRule>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            // Within one file the first rule of a prefix wins (containers/image ignores later duplicates); a later file replaces it.
            if (byPrefix.TryGetValue(rule.Prefix, out var known) && known.File == rule.File) continue;
            byPrefix[rule.Prefix] = rule;
        }
        Rules = byPrefix.Values.OrderBy(r => r.Prefix, StringComparer.Ordinal).ToArray();
        Files = files;
    }

    /// <summary>The rules, sorted by prefix.</summary>
    public IReadOnlyList<RegistryRule> Rules { get; }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The hosts (<c>host[:port]</c>) of every location and mirror marked <c>insecure</c>.</summary>
    public IReadOnlyCollection<string> InsecureHosts =>
        Rules.Where(r => r.Insecure && r.Location.Length > 0).Select(r => HostOf(r.Location))
            .Concat(Rules.SelectMany(r => r.Mirrors).Where(m => m.Insecure).Select(m => HostOf(m.Location)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>The rule with the longest prefix matching <paramref name="reference"/>'s name, or <c>null</c>.</summary>
    public RegistryRule? Find(ImageReference reference)
    {
        RegistryRule? best = null;
        foreach (var rule in Rules)
            if (rule.MatchLength(reference.Name) >= 0 && (best is null || rule.Prefix.Length > best.Prefix.Length))
                best = rule;
        return best;
    }

    /// <summary>
    /// Where a pull of <paramref name="reference"/> is tried, in order: the mirrors that serve this kind of reference
    /// (by digest or by tag), then the rule's location; without a rule, the reference itself.
    /// </summary>
    /// <exception cref="DockyardException">The matching rule is <c>blocked</c>, or a rewritten reference is invalid.</exception>
    public (RegistryRule? Rule, IReadOnlyList<PullCandidate> Candidates) PlanPull(ImageReference reference)
    {
        var rule = Find(reference);
        if (rule is null) return (null, [new PullCandidate(reference, IsMirror: false, Insecure: false)]);
        if (rule.Blocked)
            throw new DockyardException($"Pulling {reference} is blocked by registries.conf {rule.File} ([[registry]] prefix '{rule.Prefix}' has blocked = true). Pull it from another registry or remove the block.");
        var byDigest = reference.Digest is not null;
        var candidates = new List<PullCandidate>();
        foreach (var mirror in rule.Mirrors)
        {
            var serves = rule.MirrorByDigestOnly ? byDigest : mirror.PullFrom switch
            {
                MirrorPullPolicy.DigestOnly => byDigest,
                MirrorPullPolicy.TagOnly => !byDigest,
                _ => true,
            };
            if (serves) candidates.Add(new PullCandidate(Rewrite(reference, rule, mirror.Location), IsMirror: true, mirror.Insecure));
        }
        candidates.Add(new PullCandidate(Rewrite(reference, rule, rule.Location), IsMirror: false, rule.Insecure));
        return (rule, candidates);
    }

    /// <summary>
    /// Where a pull of <paramref name="reference"/> would go, as one line for plans (no network), or <c>null</c> when no
    /// rule matches: e.g. <c>registries.conf F (prefix 'mcr.microsoft.com'): mirror A, then 127.0.0.1:5000/mcr/x:1</c>.
    /// </summary>
    public string? DescribePull(ImageReference reference)
    {
        var rule = Find(reference);
        if (rule is null) return null;
        if (rule.Blocked) return $"registries.conf {rule.File} (prefix '{rule.Prefix}'): blocked";
        var candidates = PlanPull(reference).Candidates.Select(c => (c.IsMirror ? "mirror " : "") + c.Reference);
        return $"registries.conf {rule.File} (prefix '{rule.Prefix}'): {string.Join(", then ", candidates)}";
    }

    private static ImageReference Rewrite(ImageReference reference, RegistryRule rule, string location)
    {
        if (location.Length == 0) return reference;
        var text = reference.ToString();
        var rewritten = location + text[rule.MatchLength(text)..];
        return ImageReference.TryParse(rewritten, out var parsed, out var error)
            ? parsed
            : throw new DockyardException($"registries.conf {rule.File}: [[registry]] prefix '{rule.Prefix}' rewrites {reference} to '{rewritten}', which is not an image reference ({error}). Fix its location.");
    }

    private static string HostOf(string location)
    {
        var slash = location.IndexOf('/');
        return RegistryHost.Canonicalize(slash < 0 ? location : location[..slash]);
    }
}
