using System.Text;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;
using Dockyard.Images;

namespace Dockyard.Tests.Images;

public class ImageConfigTests
{
    private const string BaseConfig = """
    {"os":"linux","architecture":"amd64","moby.buildkit.buildinfo.v1":"e30=","config":{"Cmd":["sh"],"Env":["PATH=/bin","A=1"],"Custom":{"x":1}},
     "rootfs":{"type":"layers","diff_ids":["sha256:0000000000000000000000000000000000000000000000000000000000000001"]},
     "history":[{"created":"2020-01-01T00:00:00Z","created_by":"/bin/sh -c #(nop) ADD file:abc in / ","x-extra":true}]}
    """;

    [Fact]
    public void UnknownFieldsOfABaseConfigSurviveEditsAndKeysAreWrittenLikeBuildKit()
    {
        var config = ImageConfig.Parse(Encoding.UTF8.GetBytes(BaseConfig));
        config.SetEnv("A", "2");
        config.SetEnv("B", "3");
        config.User = "1000";
        config.SetLabel("org.opencontainers.image.source", "https://example.com");
        config.AddExposedPort("8080/tcp");
        config.AddHistory(new HistoryEntry(DateTimeOffset.FromUnixTimeSeconds(1), "ENV A=2 B=3", "buildkit.dockerfile.v0", EmptyLayer: true));
        var json = Encoding.UTF8.GetString(config.ToJsonBytes());

        Assert.StartsWith("{\"architecture\":\"amd64\",\"config\":{\"User\":\"1000\",\"ExposedPorts\":{\"8080/tcp\":{}},\"Env\":[\"PATH=/bin\",\"A=2\",\"B=3\"],\"Cmd\":[\"sh\"],\"Labels\":", json);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("e30=", node["moby.buildkit.buildinfo.v1"]!.GetValue<string>());
        Assert.Equal(1, node["config"]!["Custom"]!["x"]!.GetValue<int>());
        Assert.True(node["history"]![0]!["x-extra"]!.GetValue<bool>());
        Assert.Equal("{\"created\":\"1970-01-01T00:00:01Z\",\"created_by\":\"ENV A=2 B=3\",\"comment\":\"buildkit.dockerfile.v0\",\"empty_layer\":true}", node["history"]![1]!.ToJsonString());
        Assert.Equal(["moby.buildkit.buildinfo.v1", "os", "rootfs"], node.AsObject().Select(p => p.Key).Where(k => k is "os" or "rootfs" or "moby.buildkit.buildinfo.v1"));
    }

    [Fact]
    public void ValuesAreWrittenWithoutNeedlessEscapes()
    {
        var config = ImageConfig.CreateScratch(new Platform("linux", "amd64"));
        config.SetEnv("VERSION", "1.0+build'é");
        Assert.Contains("\"VERSION=1.0+build'é\"", Encoding.UTF8.GetString(config.ToJsonBytes()));
    }

    [Fact]
    public void ScratchConfigMatchesBuildKitsEmptyImage()
    {
        var config = ImageConfig.CreateScratch(new Platform("linux", "arm64", "v8"));
        Assert.Equal("{\"architecture\":\"arm64\",\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"WorkingDir\":\"/\"},\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"variant\":\"v8\"}",
            Encoding.UTF8.GetString(config.ToJsonBytes()));
    }

    [Fact]
    public void ABrokenConfigNamesItsSource()
    {
        Assert.Contains("oci:/x: config is not valid JSON", Assert.Throws<DockyardException>(() => ImageConfig.Parse("{"u8, "oci:/x: config")).Message);
        Assert.Contains("needs 'architecture' and 'os'", Assert.Throws<DockyardException>(() => ImageConfig.Parse("{}"u8)).Message);
        Assert.Contains("rootfs.diff_ids entry that is not a digest", Assert.Throws<DockyardException>(() =>
            ImageConfig.Parse("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[\"not a digest\"]}}"u8)).Message);
    }

    [Fact]
    public void InvalidUtf8InAStringIsABrokenConfig() // found by the docker-archive fuzz target (corpus/docker-archive/config-not-utf8)
    {
        byte[] json = [.. "{\"os\":\"linux\",\"architecture\":\"amd"u8, 0xC9, .. "\"}"u8];
        var error = Assert.Throws<DockyardException>(() => ImageConfig.Parse(json, "docker-archive:x.tar: config"));
        Assert.Equal("docker-archive:x.tar: config is not valid JSON (it is not UTF-8 text); the image is damaged.", error.Message);
    }
}
