using Dockyard.Images.DockerArchive;
using Dockyard.Layers;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// The <c>docker-archive:</c> reader (a <c>docker save</c> tar): its members, <c>manifest.json</c>, the image config
/// and each layer (decompressed, its diff_id checked), imported into a layer cache in a temp directory.
/// </summary>
public sealed class DockerArchiveTarget : IFuzzTarget
{
    private readonly ScratchDirectory _scratch = new("archive");

    /// <inheritdoc />
    public string Name => "docker-archive";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var archive = Path.Combine(_scratch.Path, "image.tar");
        File.WriteAllBytes(archive, input);
        // a fresh cache each time: the cache keys an archive's layers by path, size and time, which repeat across inputs
        var cache = Path.Combine(_scratch.Path, "cache");
        if (Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
        DockerArchiveReader.Read(archive, new LayerCache(cache));
    }
}
