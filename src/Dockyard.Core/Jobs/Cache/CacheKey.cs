using System.Security.Cryptography;
using Dockyard.Diagnostics;

namespace Dockyard.Jobs.Cache;

/// <summary>
/// Computes a cache's key: the expanded <c>key</c> (<c>default</c> when absent); for <c>key:files</c>, a SHA-256 over
/// the files' paths and contents in the working copy (GitLab uses the last commit touching them; the content hash
/// also changes with uncommitted edits), prefixed by <c>prefix-</c>. Keys GitLab refuses (<c>/</c>, only dots) are errors.
/// </summary>
public static class CacheKey
{
    /// <summary>The key of <paramref name="spec"/> for a job in <paramref name="directory"/>.</summary>
    public static string Compute(CacheSpec spec, string directory, Func<string, string> expand)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(expand);
        string key;
        if (spec.KeyFiles.Count > 0)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var file in spec.KeyFiles.Select(expand).Order(StringComparer.Ordinal))
            {
                hash.AppendData(System.Text.Encoding.UTF8.GetBytes(file + "\0"));
                var full = Path.Combine(directory, file);
                if (File.Exists(full)) hash.AppendData(File.ReadAllBytes(full));
                hash.AppendData([0]);
            }

            var digest = Convert.ToHexStringLower(hash.GetHashAndReset())[..40];
            key = spec.KeyPrefix is { } prefix ? $"{expand(prefix)}-{digest}" : digest;
        }
        else
        {
            key = spec.Key is null ? "default" : expand(spec.Key);
            if (key.Length == 0) key = "default";
        }

        Validate(key, spec.Location);
        return key;
    }

    /// <summary>Throws for a key GitLab would refuse.</summary>
    public static void Validate(string key, SourceLocation location)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Contains('/') || key.Contains("%2F", StringComparison.OrdinalIgnoreCase) || key.Trim('.').Length == 0 || key.Contains('\0'))
            throw new SourceException(location, $"cache key '{key}' is not allowed (no '/', not only dots)", "pick a key such as $CI_COMMIT_REF_SLUG");
    }
}
