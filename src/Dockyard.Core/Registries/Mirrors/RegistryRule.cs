namespace Dockyard.Registries.Mirrors;

/// <summary>
/// One <c>[[registry]]</c> entry of containers-registries.conf(5): the references it matches (<see cref="Prefix"/>),
/// where they really live (<see cref="Location"/>), whether pulls are refused, and its mirrors.
/// </summary>
/// <param name="Prefix">What it matches: <c>host[:port][/path]</c>, or <c>*.example.com</c> for any subdomain.</param>
/// <param name="Location">Where matching references are pulled from; empty only for a wildcard prefix (the reference stays as is).</param>
/// <param name="Insecure">Whether plain HTTP and unverified TLS are allowed for the location.</param>
/// <param name="Blocked">Whether pulls of matching references are refused.</param>
/// <param name="MirrorByDigestOnly">Whether the mirrors serve only pulls by digest.</param>
/// <param name="Mirrors">The mirrors, tried in order before the location.</param>
/// <param name="File">The file that defined it (the last file wins for a prefix).</param>
public sealed record RegistryRule(
    string Prefix, string Location, bool Insecure, bool Blocked, bool MirrorByDigestOnly, IReadOnlyList<RegistryMirror> Mirrors, string File)
{
    /// <summary>Whether the prefix is a <c>*.example.com</c> wildcard.</summary>
    public bool IsWildcard => Prefix.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>
    /// The length of <paramref name="reference"/> matched by the prefix (a reference name, optionally with tag or
    /// digest, starting with its registry host), or -1 when it does not match; the rules of containers/image:
    /// the prefix must be followed by the end, <c>/</c>, <c>:</c> or <c>@</c>, and a wildcard matches within the host only.
    /// </summary>
    public int MatchLength(string reference)
    {
        if (IsWildcard)
        {
            var suffix = Prefix[1..];
            var index = reference.IndexOf(suffix, StringComparison.Ordinal);
            if (index < 0 || reference.AsSpan(0, index).Contains('/')) return -1;
            var end = index + suffix.Length;
            return end == reference.Length || reference[end] is ':' or '/' or '@' ? end : -1;
        }
        if (!reference.StartsWith(Prefix, StringComparison.Ordinal)) return -1;
        if (reference.Length == Prefix.Length) return Prefix.Length;
        return reference[Prefix.Length] is ':' or '/' or '@' ? Prefix.Length : -1;
    }
}
