using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Dockyard.Diagnostics;
using Dockyard.FileSystem;

namespace Dockyard.Pipelines.Includes.Remote;

/// <summary>What the cache knows of one fetched include.</summary>
/// <param name="Include">The include as named in notes (<c>project:group/app@v1:ci/x.yml</c>).</param>
/// <param name="From">Where it was fetched from (the instance's URL, or the remote URL).</param>
/// <param name="Blob">The content's file name (<c>sha256-HEX.yml</c>).</param>
/// <param name="Reference">The ref its nested local includes are read at (project and component includes), or null.</param>
/// <param name="Component">A component's <c>$[[ component.* ]]</c> values, or null.</param>
internal sealed record CachedInclude(string Include, string From, string Blob, string? Reference = null,
    IReadOnlyDictionary<string, string>? Component = null)
{
    /// <summary>The project nested local includes are read from (with <see cref="Reference"/>), or null.</summary>
    public string? Project { get; init; }
}

[JsonSerializable(typeof(CachedInclude))]
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class CachedIncludeJson : JsonSerializerContext;

/// <summary>
/// Fetched includes, by content, under <c>PROJECT/.dockyard/includes/</c>: <c>blobs/sha256-HEX.yml</c> holds each
/// distinct content once; <c>index/HEX.json</c> (HEX = SHA-256 of the include's key) says which content an include
/// had when it was last fetched and from where. Offline, the index answers; a blob whose digest no longer matches
/// its name, or an index entry that is not Dockyard's, counts as missing.
/// </summary>
internal sealed class FetchedIncludeCache(string directory)
{
    private const int MaxIndexBytes = 64 * 1024;

    /// <summary>The cache directory.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Stores <paramref name="content"/> for <paramref name="key"/> and returns the entry and the blob's path.</summary>
    public (CachedInclude Entry, string Path) Put(string key, byte[] content, CachedInclude entry)
    {
        var blob = BlobName(content);
        var blobPath = Path.Combine(Directory, "blobs", blob);
        if (!File.Exists(blobPath)) WriteAtomically(blobPath, content);
        var stored = entry with { Blob = blob };
        WriteAtomically(IndexPath(key), JsonSerializer.SerializeToUtf8Bytes(stored, CachedIncludeJson.Default.CachedInclude));
        return (stored, blobPath);
    }

    /// <summary>The entry and blob path stored for <paramref name="key"/>, or null when there is none (or it is damaged).</summary>
    public (CachedInclude Entry, string Path)? Get(string key)
    {
        var index = IndexPath(key);
        if (!File.Exists(index)) return null;
        IncludeFileGuard.RequireInside(index, Directory, key, new SourceLocation(index, 1, 1), "cache", "the include cache " + Directory,
            "Remove .dockyard/includes; Dockyard fills it again on the next online run.");
        CachedInclude? entry;
        try
        {
            entry = JsonSerializer.Deserialize(InputFile.ReadText(index, MaxIndexBytes, why => new IOException(why)), CachedIncludeJson.Default.CachedInclude);
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            return null;
        }
        if (entry is null || !IsBlobName(entry.Blob)) return null;
        var blobPath = Path.Combine(Directory, "blobs", entry.Blob);
        if (!File.Exists(blobPath)) return null;
        IncludeFileGuard.RequireInside(blobPath, Directory, key, new SourceLocation(index, 1, 1), "cache", "the include cache " + Directory,
            "Remove .dockyard/includes; Dockyard fills it again on the next online run.");
        try
        {
            if (InputFile.Refusal(blobPath) is not null || new FileInfo(blobPath).Length > IncludeDownloader.MaxResponseBytes
                || BlobName(File.ReadAllBytes(blobPath)) != entry.Blob) return null;
        }
        catch (IOException)
        {
            return null;
        }
        return (entry, blobPath);
    }

    private string IndexPath(string key) =>
        Path.Combine(Directory, "index", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key))) + ".json");

    private static string BlobName(byte[] content) => "sha256-" + Convert.ToHexStringLower(SHA256.HashData(content)) + ".yml";

    private static bool IsBlobName(string? name) =>
        name is { Length: 7 + 64 + 4 } && name.StartsWith("sha256-", StringComparison.Ordinal) && name.EndsWith(".yml", StringComparison.Ordinal)
        && name[7..^4].All(Uri.IsHexDigit);

    private static void WriteAtomically(string path, byte[] content)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
