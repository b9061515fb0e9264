using System.Text.RegularExpressions;
using Dockyard.Images;

namespace Dockyard.Builders;

/// <summary>Reads the manifest digest a tool reports after a push (<c>latest: digest: sha256:… size: 528</c>, or a digest file).</summary>
internal static partial class PushDigest
{
    /// <summary>The last digest named in <paramref name="text"/>, or <c>null</c>.</summary>
    public static Digest? Find(string text)
    {
        var matches = DigestPattern().Matches(text);
        return matches.Count == 0 ? null : Digest.Parse(matches[^1].Value);
    }

    [GeneratedRegex("sha256:[0-9a-f]{64}")]
    private static partial Regex DigestPattern();
}
