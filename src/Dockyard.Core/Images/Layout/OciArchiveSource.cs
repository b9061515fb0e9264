using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Images.Transfer;

namespace Dockyard.Images.Layout;

/// <summary>
/// An image in an OCI archive (<c>oci-archive:FILE[:TAG]</c>): the archive is unpacked once under
/// <paramref name="unpackRoot"/> (<c>&lt;key of path, size and time&gt;</c>; System.Formats.Tar refuses entries that
/// escape it) and read as an <see cref="OciLayoutSource"/>, which verifies every digest.
/// </summary>
public sealed class OciArchiveSource(string archivePath, string? tag, string unpackRoot) : IImageSource
{
    /// <inheritdoc />
    public string Name { get; } = $"oci-archive:{archivePath}" + (tag is null ? "" : ":" + tag);

    /// <inheritdoc />
    public Task<ImageContent> ReadAsync(ImageReadOptions options, CancellationToken cancellationToken) =>
        new OciLayoutSource(Unpack(), tag, Name).ReadAsync(options, cancellationToken);

    /// <summary>Reads one platform's image (a build base).</summary>
    public async Task<Image> ReadImageAsync(Platform? platform, CancellationToken cancellationToken) =>
        (Image)await ReadAsync(new ImageReadOptions { Platform = platform }, cancellationToken);

    private string Unpack()
    {
        var file = new FileInfo(archivePath);
        if (!file.Exists) throw new DockyardException($"{Name}: the file does not exist.");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{file.FullName}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}")));
        var directory = Path.Combine(unpackRoot, key);
        if (File.Exists(Path.Combine(directory, "index.json"))) return directory;
        var temp = directory + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            Directory.CreateDirectory(temp);
            TarFile.ExtractToDirectory(file.FullName, temp, overwriteFiles: false);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            Directory.Move(temp, directory);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new DockyardException($"{Name}: cannot unpack the archive ({e.Message}); check that it is an OCI archive.", e);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
        return directory;
    }
}
