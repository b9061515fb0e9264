using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Dockyard.Images;

/// <summary>A content digest such as <c>sha256:0123…</c> (OCI image-spec "descriptor" digest grammar).</summary>
public readonly partial record struct Digest
{
    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary>The algorithm, e.g. <c>sha256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>The encoded hash (lower-case hex for sha256/sha512).</summary>
    public string Hex { get; }

    /// <summary>Parses <c>algorithm:encoded</c>; sha256 must be 64 and sha512 128 lower-case hex characters.</summary>
    /// <exception cref="FormatException">The text is not a valid digest.</exception>
    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"'{text}' is not a valid digest: expected 'sha256:' followed by 64 lower-case hex characters.");

    /// <summary>Parses <c>algorithm:encoded</c> without throwing.</summary>
    public static bool TryParse(string? text, out Digest digest)
    {
        digest = default;
        if (text is null || !Grammar().IsMatch(text)) return false;
        var colon = text.IndexOf(':');
        var algorithm = text[..colon];
        var hex = text[(colon + 1)..];
        var expectedLength = algorithm switch { "sha256" => 64, "sha512" => 128, _ => -1 };
        if (expectedLength > 0 && (hex.Length != expectedLength || !IsLowerHex(hex))) return false;
        digest = new Digest(algorithm, hex);
        return true;
    }

    /// <summary>The sha256 digest of <paramref name="bytes"/>.</summary>
    public static Digest Sha256(ReadOnlySpan<byte> bytes) => new("sha256", Convert.ToHexStringLower(SHA256.HashData(bytes)));

    /// <summary>The sha256 digest of a hash already computed (32 bytes).</summary>
    public static Digest FromSha256Hash(ReadOnlySpan<byte> hash) =>
        hash.Length == 32 ? new("sha256", Convert.ToHexStringLower(hash)) : throw new ArgumentException("A sha256 hash has 32 bytes.", nameof(hash));

    /// <summary>Whether <paramref name="bytes"/> hash to this digest (sha256 and sha512 supported).</summary>
    public bool Matches(ReadOnlySpan<byte> bytes) => Algorithm switch
    {
        "sha256" => Convert.ToHexStringLower(SHA256.HashData(bytes)) == Hex,
        "sha512" => Convert.ToHexStringLower(SHA512.HashData(bytes)) == Hex,
        _ => throw new NotSupportedException($"Digest algorithm '{Algorithm}' is not supported; use sha256."),
    };

    /// <summary>Formats as <c>algorithm:hex</c>.</summary>
    public override string ToString() => $"{Algorithm}:{Hex}";

    private static bool IsLowerHex(string s)
    {
        foreach (var c in s)
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'f'))) return false;
        return true;
    }

    [GeneratedRegex("^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")]
    private static partial Regex Grammar();
}
