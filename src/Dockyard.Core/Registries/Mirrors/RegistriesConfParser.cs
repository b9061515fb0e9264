using Dockyard.Diagnostics;
using Tomlyn;
using Tomlyn.Model;

namespace Dockyard.Registries.Mirrors;

/// <summary>
/// Reads the <c>[[registry]]</c> tables of one containers-registries.conf(5) file (version 2) with Tomlyn, checked the
/// way containers/image checks them: <c>prefix</c> defaults to <c>location</c>, trailing slashes are dropped, URL
/// schemes are refused, a wildcard prefix is <c>*.example.com</c> only, a mirror needs a location. Keys Dockyard does
/// not use (<c>unqualified-search-registries</c>, <c>[aliases]</c>, …) are ignored, as the tools ignore unknown keys.
/// </summary>
public static class RegistriesConfParser
{
    /// <summary>Parses <paramref name="text"/>, the content of <paramref name="file"/> (named in errors).</summary>
    /// <exception cref="SourceException">A TOML syntax error (file:line:column).</exception>
    /// <exception cref="DockyardException">A value of the wrong type or an invalid entry (the message names the file and entry).</exception>
    public static IReadOnlyList<RegistryRule> Parse(string text, string file)
    {
        TomlTable root;
        try
        {
            root = TomlSerializer.Deserialize<TomlTable>(text) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            var problem = (e.Diagnostics.FirstOrDefault()?.Message ?? FirstLine(e.Message)).TrimEnd('.');
            throw new SourceException(new SourceLocation(file, e.Line ?? 0, e.Column ?? 0), $"registries.conf syntax error: {problem}.",
                "Fix the TOML (see containers-registries.conf(5)).", e);
        }

        if (root.TryGetValue("registries", out var v1) && v1 is TomlTable)
            throw new DockyardException($"{file}: this registries.conf uses the version 1 format ([registries.search], [registries.insecure], [registries.block]), which Dockyard does not read. Rewrite it with [[registry]] tables (containers-registries.conf(5), version 2).");
        if (!root.TryGetValue("registry", out var entries)) return [];
        if (entries is not TomlTableArray tables)
            throw new DockyardException($"{file}: 'registry' must be an array of tables ([[registry]]).");

        var rules = new List<RegistryRule>();
        var index = 0;
        foreach (var table in tables)
        {
            index++;
            rules.Add(ReadRule(table, file, index));
        }
        return rules;
    }

    private static RegistryRule ReadRule(TomlTable table, string file, int index)
    {
        var where = $"{file}: [[registry]] #{index}";
        var location = TrimLocation(String(table, "location", where) ?? "", where, "location");
        var prefix = String(table, "prefix", where);
        if (prefix is null || prefix.Length == 0)
        {
            if (location.Length == 0) throw new DockyardException($"{where} sets neither 'prefix' nor 'location'; set at least one.");
            prefix = location;
        }
        else
        {
            prefix = TrimLocation(prefix, where, "prefix");
            if (prefix.StartsWith("*.", StringComparison.Ordinal) && prefix.IndexOfAny(['/', '@', ':']) >= 0)
                throw new DockyardException($"{where}: wildcard prefix '{prefix}' must look like *.example.com (no port, path, tag or digest).");
            if (!prefix.StartsWith("*.", StringComparison.Ordinal) && location.Length == 0)
                throw new DockyardException($"{where} (prefix '{prefix}') has no 'location'; only a *.example.com wildcard prefix may omit it.");
        }
        where = $"{file}: [[registry]] prefix '{prefix}'";
        if (table.ContainsKey("pull-from-mirror"))
            throw new DockyardException($"{where} sets 'pull-from-mirror', which belongs to its [[registry.mirror]] entries only.");
        var byDigestOnly = Bool(table, "mirror-by-digest-only", where);
        var mirrors = new List<RegistryMirror>();
        if (table.TryGetValue("mirror", out var mirrorValue))
        {
            if (mirrorValue is not TomlTableArray mirrorTables)
                throw new DockyardException($"{where}: 'mirror' must be an array of tables ([[registry.mirror]]).");
            foreach (var mirror in mirrorTables)
                mirrors.Add(ReadMirror(mirror, where, byDigestOnly));
        }
        return new RegistryRule(prefix, location, Bool(table, "insecure", where), Bool(table, "blocked", where), byDigestOnly, mirrors, file);
    }

    private static RegistryMirror ReadMirror(TomlTable table, string where, bool byDigestOnly)
    {
        var location = TrimLocation(String(table, "location", where + " mirror") ?? "", where, "mirror location");
        if (location.Length == 0) throw new DockyardException($"{where}: a [[registry.mirror]] has no 'location'.");
        var policyText = String(table, "pull-from-mirror", $"{where} mirror '{location}'");
        if (byDigestOnly && !string.IsNullOrEmpty(policyText))
            throw new DockyardException($"{where} sets mirror-by-digest-only and its mirror '{location}' sets pull-from-mirror; use one of them.");
        var policy = policyText switch
        {
            null or "" or "all" => MirrorPullPolicy.All,
            "digest-only" => MirrorPullPolicy.DigestOnly,
            "tag-only" => MirrorPullPolicy.TagOnly,
            _ => throw new DockyardException($"{where}: mirror '{location}' has pull-from-mirror = \"{policyText}\"; use \"all\", \"digest-only\" or \"tag-only\"."),
        };
        return new RegistryMirror(location, Bool(table, "insecure", $"{where} mirror '{location}'"), policy);
    }

    private static string TrimLocation(string value, string where, string key)
    {
        var trimmed = value.TrimEnd('/');
        if (trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            throw new DockyardException($"{where}: {key} '{value}' has a URL scheme; write host[:port][/path] (use insecure = true for plain HTTP).");
        return trimmed;
    }

    private static string? String(TomlTable table, string key, string where) =>
        !table.TryGetValue(key, out var value) ? null
        : value as string ?? throw new DockyardException($"{where}: '{key}' must be a string.");

    private static bool Bool(TomlTable table, string key, string where) =>
        table.TryGetValue(key, out var value) && (value is bool flag ? flag : throw new DockyardException($"{where}: '{key}' must be true or false."));

    private static string FirstLine(string text) => text.Split('\n')[0].Trim().TrimEnd('.');
}
