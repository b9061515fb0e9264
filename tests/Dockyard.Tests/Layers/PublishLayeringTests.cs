using Dockyard.Tests.Infrastructure;
using Dockyard.Diagnostics;
using Dockyard.Layers;

namespace Dockyard.Tests.Layers;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class PublishLayeringTests
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private const string DepsJson = """
    {
      "runtimeTarget": { "name": ".NETCoreApp,Version=v10.0/linux-x64" },
      "targets": {
        ".NETCoreApp,Version=v10.0/linux-x64": {
          "Web/1.0.0": { "dependencies": { "Newtonsoft.Json": "13.0.3", "Lib": "1.0.0" }, "runtime": { "Web.dll": {} } },
          "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.0": {
            "runtime": { "System.Private.CoreLib.dll": {} }, "native": { "libcoreclr.so": {} } },
          "Newtonsoft.Json/13.0.3": {
            "runtime": { "lib/net6.0/Newtonsoft.Json.dll": {} },
            "resources": { "lib/net6.0/de/Newtonsoft.Json.resources.dll": { "locale": "de" } } },
          "SQLite.Native/3.0.0": { "runtimeTargets": { "runtimes/linux-x64/native/libe_sqlite3.so": { "rid": "linux-x64", "assetType": "native" } } },
          "Lib/1.0.0": { "runtime": { "Lib.dll": {} } }
        }
      },
      "libraries": {
        "Web/1.0.0": { "type": "project" },
        "runtimepack.Microsoft.NETCore.App.Runtime.linux-x64/10.0.0": { "type": "runtimepack" },
        "Newtonsoft.Json/13.0.3": { "type": "package" },
        "SQLite.Native/3.0.0": { "type": "package" },
        "Lib/1.0.0": { "type": "project" }
      }
    }
    """;

    private static void Publish(TempDirectory dir, string webDll)
    {
        dir.WriteFile("Web.deps.json", DepsJson, (UnixFileMode)0x1A4);
        dir.WriteFile("Web.runtimeconfig.json", "{}", (UnixFileMode)0x1A4);
        dir.WriteFile("Web", "apphost", (UnixFileMode)0x1ED);
        dir.WriteFile("Web.dll", webDll, (UnixFileMode)0x1ED); // the SDK marks files 0755: kept as found
        dir.WriteFile("Lib.dll", "lib", (UnixFileMode)0x1A4);
        dir.WriteFile("appsettings.json", "{}", (UnixFileMode)0x1A4);
        dir.WriteFile("wwwroot/site.css", "body{}", (UnixFileMode)0x1A4);
        dir.WriteFile("System.Private.CoreLib.dll", "corelib", (UnixFileMode)0x1A4);
        dir.WriteFile("libcoreclr.so", "coreclr", (UnixFileMode)0x1ED);
        dir.WriteFile("Newtonsoft.Json.dll", "json", (UnixFileMode)0x1A4);
        dir.WriteFile("de/Newtonsoft.Json.resources.dll", "de", (UnixFileMode)0x1A4);
        dir.WriteFile("runtimes/linux-x64/native/libe_sqlite3.so", "sqlite", (UnixFileMode)0x1ED);
    }

    [Fact]
    public void DefaultSplitPutsPackagesAndRuntimeBelowTheAppsOwnFiles()
    {
        using var dir = new TempDirectory();
        Publish(dir, "v1");
        var layers = PublishLayering.Plan(dir.Path);

        Assert.Equal(["dependencies", "app"], layers.Select(l => l.Name));
        Assert.Equal(new[] { "System.Private.CoreLib.dll", "Newtonsoft.Json.dll", "de/Newtonsoft.Json.resources.dll", "libcoreclr.so", "runtimes/linux-x64/native/libe_sqlite3.so" }.Order(StringComparer.Ordinal), layers[0].Files);
        Assert.Equal(["Lib.dll", "Web", "Web.deps.json", "Web.dll", "Web.runtimeconfig.json", "appsettings.json", "wwwroot/site.css"], layers[1].Files);
    }

    [Fact]
    public void OptionsSeparateTheRuntimeMoveFilesByPatternOrKeepOneLayer()
    {
        using var dir = new TempDirectory();
        Publish(dir, "v1");
        var split = PublishLayering.Plan(dir.Path, new PublishLayeringOptions { SeparateRuntime = true, DependencyPatterns = ["Lib.dll"], AppPatterns = ["de/*"] });
        Assert.Equal(["runtime", "dependencies", "app"], split.Select(l => l.Name));
        Assert.Equal(["System.Private.CoreLib.dll", "libcoreclr.so"], split[0].Files);
        Assert.Contains("Lib.dll", split[1].Files);
        Assert.Contains("de/Newtonsoft.Json.resources.dll", split[2].Files);
        Assert.Single(PublishLayering.Plan(dir.Path, new PublishLayeringOptions { SingleLayer = true }));
        Assert.Contains("does not exist", Assert.Throws<DockyardException>(() => PublishLayering.Plan(dir.Combine("missing"))).Message);
    }

    [Fact]
    public void AOneLineCodeChangeRebuildsOnlyTheAppLayer()
    {
        using var dir = new TempDirectory();
        using var cacheDir = new TempDirectory();
        var cache = new LayerCache(cacheDir.Path);
        Publish(dir, "v1");
        var first = PublishLayering.CreateBuilders(dir.Path, timestamp: Epoch).Select(b => b.Builder.Build(cache)).ToList();
        File.WriteAllText(dir.Combine("Web.dll"), "v2");
        File.SetLastWriteTimeUtc(dir.Combine("Web.dll"), DateTime.UtcNow.AddMinutes(1));
        var second = PublishLayering.CreateBuilders(dir.Path, timestamp: Epoch).Select(b => b.Builder.Build(cache)).ToList();

        Assert.Equal(first[0], second[0]);
        Assert.NotEqual(first[1].Digest, second[1].Digest);
        Assert.Equal((3, 1), (cache.Compressions, cache.InputHits));
        var entries = LayerBuilderTests.ReadTar(ReadGzip(second[1].BlobPath));
        Assert.Equal((UnixFileMode)0x1ED, entries.Single(e => e.Name == "app/Web.dll").Mode);
        Assert.Equal((UnixFileMode)0x1A4, entries.Single(e => e.Name == "app/appsettings.json").Mode);
        Assert.Equal("app/", entries[0].Name);
    }

    private static byte[] ReadGzip(string path)
    {
        using var gzip = new System.IO.Compression.GZipStream(File.OpenRead(path), System.IO.Compression.CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return buffer.ToArray();
    }
}
