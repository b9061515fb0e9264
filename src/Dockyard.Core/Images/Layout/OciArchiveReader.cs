using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Images.Layout;

/// <summary>
/// Reads an image from an OCI archive (<c>FROM oci-archive:FILE[:TAG]</c>): the archive is unpacked once into the
/// layer cache (<c>oci-archives/&lt;key of path, size and time&gt;</c>; System.Formats.Tar refuses entries that
/// escape it) and read with <see cref="OciLayoutReader"/>, which verifies every digest.
/// </summary>
public static class OciArchiveReader
{
    /// <summary>Reads the image tagged <paramref name="tag"/> (or the only one) for <paramref name="platform"/>.</summary>
    /// <exception cref="DockyardException">Missing or invalid archive, or anything <see cref="OciLayoutReader"/> refuses.</exception>
    public static SourceImage Read(string archivePath, LayerCache cache, string? tag = null, Platform? platform = null)
    {
        var file = new FileInfo(archivePath);
        if (!file.Exists) throw new DockyardException($"oci-archive:{archivePath}: the file does not exist.");
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{file.FullName}\0{file.Length}\0{file.LastWriteTimeUtc.Ticks}")));
        var directory = Path.Combine(cache.Root, "oci-archives", key);
        if (!File.Exists(Path.Combine(directory, "index.json")))
        {
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
                throw new DockyardException($"oci-archive:{archivePath}: cannot unpack the archive ({e.Message}); check that it is an OCI archive.", e);
            }
            finally
            {
                if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            }
        }
        var image = OciLayoutReader.Read(directory, tag, platform);
        return new SourceImage
        {
            Name = $"oci-archive:{archivePath}" + (tag is null ? "" : ":" + tag),
            Format = image.Format, Config = image.Config, Layers = image.Layers, ManifestDescriptor = image.ManifestDescriptor,
        };
    }
}
