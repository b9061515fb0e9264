using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Dockyard.Pipelines.Variables;

/// <summary>GitLab's slug rules for <c>CI_COMMIT_REF_SLUG</c>, <c>CI_PROJECT_PATH_SLUG</c>, <c>CI_JOB_NAME_SLUG</c> and <c>CI_ENVIRONMENT_SLUG</c>.</summary>
public static class Slug
{
    private const int CapitalIWithDot = 0x0130;

    /// <summary>The lower-cased character when it is in <c>[a-z0-9]</c>, else <c>-</c>.</summary>
    private static char SlugChar(Rune rune)
    {
        var lower = Rune.ToLowerInvariant(rune);
        return lower.Value is >= 'a' and <= 'z' or >= '0' and <= '9' ? (char)lower.Value : '-';
    }

    /// <summary>
    /// <c>Gitlab::Utils.slugify</c>: lower-case, every character (Unicode scalar) other than <c>[a-z0-9]</c> becomes
    /// <c>-</c> (runs are not collapsed), keep the first 63 characters, then strip leading and trailing dashes.
    /// Example: <c>Feature/ABC_1.2</c> gives <c>feature-abc-1-2</c>.
    /// </summary>
    public static string Slugify(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<char> buffer = stackalloc char[63];
        var length = 0;
        foreach (var rune in value.EnumerateRunes())
        {
            if (length == buffer.Length)
            {
                break;
            }

            if (rune.Value == CapitalIWithDot)
            {
                // Ruby's full case mapping turns U+0130 into "i" + U+0307, two characters.
                buffer[length++] = 'i';
                if (length < buffer.Length)
                {
                    buffer[length++] = '-';
                }

                continue;
            }

            buffer[length++] = SlugChar(rune);
        }

        return buffer[..length].Trim('-').ToString();
    }

    /// <summary>
    /// <c>CI_ENVIRONMENT_SLUG</c> (<c>Gitlab::Slug::Environment</c>): lower-case, <c>[^a-z0-9]</c> to <c>-</c>, prefix
    /// <c>env-</c> unless it starts with a letter, collapse dash runs; when the result is longer than 24 characters or
    /// differs from the name, keep 17 characters, add <c>-</c> and a 6-character suffix derived from the SHA-256 of the
    /// name; otherwise drop a trailing dash.
    /// </summary>
    public static string EnvironmentSlug(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return EnvironmentSlug(name, () => Base36Suffix(SHA256.HashData(Encoding.UTF8.GetBytes(name))));
    }

    /// <summary>The environment slug with an injectable suffix (GitLab's own tests fix it).</summary>
    internal static string EnvironmentSlug(string name, Func<string> suffix)
    {
        var builder = new StringBuilder(name.Length + 4);
        foreach (var rune in name.EnumerateRunes())
        {
            builder.Append(rune.Value == CapitalIWithDot ? "i-" : SlugChar(rune).ToString());
        }

        if (builder.Length == 0 || builder[0] is < 'a' or > 'z')
        {
            builder.Insert(0, "env-");
        }

        var squeezed = new StringBuilder(builder.Length);
        for (var i = 0; i < builder.Length; i++)
        {
            if (builder[i] != '-' || squeezed.Length == 0 || squeezed[^1] != '-')
            {
                squeezed.Append(builder[i]);
            }
        }

        var slug = squeezed.ToString();
        if (slug.Length > 24 || slug != name)
        {
            var shortened = slug.Length > 17 ? slug[..17] : slug;
            if (!shortened.EndsWith('-'))
            {
                shortened += "-";
            }

            return shortened + suffix();
        }

        return slug.EndsWith('-') ? slug[..^1] : slug;
    }

    /// <summary>Ruby <c>hexdigest.to_i(16).to_s(36).last(6)</c> for a digest.</summary>
    internal static string Base36Suffix(ReadOnlySpan<byte> hash)
    {
        var number = new BigInteger(hash, isUnsigned: true, isBigEndian: true);
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        Span<char> last = stackalloc char[6];
        var count = 0;
        while (count < 6 && !number.IsZero)
        {
            number = BigInteger.DivRem(number, 36, out var remainder);
            last[5 - count] = digits[(int)remainder];
            count++;
        }

        return last[(6 - count)..].ToString();
    }
}
