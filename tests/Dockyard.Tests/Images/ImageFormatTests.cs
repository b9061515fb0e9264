using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Layers;

namespace Dockyard.Tests.Images;

public class ImageFormatTests
{
    private static Descriptor Layer(string mediaType) =>
        new() { MediaType = mediaType, Digest = "sha256:" + new string('a', 64), Size = 3, Urls = ["https://example.com/l"] };

    [Fact]
    public void ConvertingALayerChangesOnlyTheMediaTypeAndKeepsSameFamilyDescriptorsVerbatim()
    {
        var docker = Layer(MediaTypes.DockerLayerGzip);
        Assert.Same(docker, ImageFormats.ConvertLayer(docker, ImageFormat.Docker));
        var foreign = Layer(MediaTypes.DockerForeignLayerGzip);
        Assert.Same(foreign, ImageFormats.ConvertLayer(foreign, ImageFormat.Docker));
        var oci = ImageFormats.ConvertLayer(docker, ImageFormat.Oci);
        Assert.Equal(docker with { MediaType = MediaTypes.OciLayerGzip }, oci);
        Assert.Equal(docker, ImageFormats.ConvertLayer(oci, ImageFormat.Docker));
        Assert.Contains("only know gzip", Assert.Throws<DockyardException>(() => ImageFormats.ConvertLayer(Layer(MediaTypes.OciLayerZstd), ImageFormat.Docker)).Message);
        Assert.Contains("not a tar layer", Assert.Throws<DockyardException>(() => ImageFormats.CompressionOf("application/json")).Message);
        Assert.Equal(LayerCompression.None, ImageFormats.CompressionOf(MediaTypes.OciLayerTar));
    }
}
