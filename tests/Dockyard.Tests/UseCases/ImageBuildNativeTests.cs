using System.Text.Json;
using Dockyard.Builders;
using Dockyard.Diagnostics;
using Dockyard.Images;
using Dockyard.Tests.Infrastructure;
using Dockyard.UseCases.Build;
using Microsoft.Extensions.Logging;
using static Dockyard.Tests.Builders.Native.NativeBuildScenario;

namespace Dockyard.Tests.UseCases;

/// <summary>"Build an image" called as a front calls it (request in, result out) with the native backend, against a real registry.</summary>
public sealed class ImageBuildNativeTests
{
    private const string MultiStage = """
        FROM {0}/base/busybox:1 AS build
        COPY app/ /src/

        FROM {0}/base/busybox:1
        COPY --from=build /src /app
        ENTRYPOINT ["/bin/sh", "-c", "cat /app/config.json"]
        """;

    private static async Task<string> ContextAsync(TempDirectory temp, RegistryServer registry)
    {
        using var client = registry.CreateClient();
        await TestImages.Create("base message").PushAsync(client, registry.Reference("base/busybox:1"));
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", string.Format(System.Globalization.CultureInfo.InvariantCulture, MultiStage, registry.Host));
        Write(context, "app/config.json", "{\"x\":1}\n");
        return context;
    }

    [Fact]
    public async Task Push_returns_digests_sizes_and_the_bytes_uploaded_and_an_unchanged_rebuild_uploads_nothing()
    {
        await using var registry = await RegistryServer.StartAsync();
        using var temp = new TempDirectory("uc-native");
        using var host = new TestHost();
        var context = await ContextAsync(temp, registry);
        var request = new ImageBuildRequest
        {
            ContextDirectory = context, Tags = [$"{registry.Host}/app/uc:1", $"{registry.Host}/app/uc:latest"], Platforms = [Amd64],
            Destination = ImageDestination.Push, Labels = new Dictionary<string, string> { ["org.example.front"] = "test" }, Timestamp = Epoch,
        };

        var result = await ImageBuild.RunAsync(host.Context, request);

        Assert.Equal(BackendKind.Native, result.Backend);
        Assert.Contains("every stage the target needs can be built natively", result.BackendReason, StringComparison.Ordinal);
        var inspect = await Skopeo.InspectAsync(registry, "app/uc:latest");
        Assert.Equal(inspect.GetProperty("Digest").GetString(), result.Digest?.ToString());
        Assert.Equal("test", inspect.GetProperty("Labels").GetProperty("org.example.front").GetString());
        var image = Assert.Single(result.Images);
        Assert.Equal(Amd64, image.Platform);
        var manifest = JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, "app/uc:1")).RootElement;
        var size = manifest.GetProperty("config").GetProperty("size").GetInt64() + manifest.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("size").GetInt64());
        Assert.Equal(size, image.Size);
        Assert.Equal(manifest.GetProperty("config").GetProperty("digest").GetString(), image.ConfigDigest?.ToString());
        Assert.Equal([$"{registry.Host}/app/uc:1", $"{registry.Host}/app/uc:latest"], result.Tags);
        // Everything went up once (every new blob and the manifest under both tags), except the base image's layers:
        // pulled from this registry, they are mounted from base/busybox, not uploaded again.
        var manifestBytes = (await Skopeo.RawManifestAsync(registry, "app/uc:1")).Length;
        var baseLayers = JsonDocument.Parse(await Skopeo.RawManifestAsync(registry, "base/busybox:1")).RootElement.GetProperty("layers").EnumerateArray()
            .ToDictionary(l => l.GetProperty("digest").GetString()!, l => l.GetProperty("size").GetInt64());
        var mounted = manifest.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).Where(baseLayers.ContainsKey).Sum(d => baseLayers[d]);
        Assert.True(mounted > 0, "the image has the base image's layers");
        Assert.Equal(size - mounted + 2 * manifestBytes, result.UploadedBytes);
        Assert.Contains(host.Logger.Entries, e => e.Text.StartsWith("backend: native (", StringComparison.Ordinal));

        // Unchanged: both tags already name the digest, so not even the manifests are put again.
        var again = await ImageBuild.RunAsync(host.Context, request);
        Assert.Equal(result.Digest, again.Digest);
        Assert.Equal(0, again.UploadedBytes);
        foreach (var tag in new[] { "app/uc:1", "app/uc:latest" })
            Assert.Equal(result.Digest?.ToString(), (await Skopeo.InspectAsync(registry, tag)).GetProperty("Digest").GetString());
    }

    [Fact]
    public async Task Without_push_or_output_the_image_goes_to_the_local_store()
    {
        using var temp = new TempDirectory("uc-native");
        using var host = new TestHost();
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a.txt /\n");
        Write(context, "a.txt", "a\n");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = context, Tags = ["example.com/app:1"], Platforms = [Amd64], LocalStoreDirectory = temp.Combine("store"),
        });

        Assert.Equal(0, result.UploadedBytes);
        Assert.Contains("local:example.com/app:1", result.Location, StringComparison.Ordinal);
        var entry = new Dockyard.Images.Stores.LocalImageStore(temp.Combine("store")).Find("example.com/app:1");
        Assert.NotNull(entry);
        Assert.Equal(result.Digest?.ToString(), entry.Descriptor.Digest);
    }

    [Fact]
    public async Task Two_platforms_give_an_index_in_an_oci_archive()
    {
        using var temp = new TempDirectory("uc-native");
        using var host = new TestHost();
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nARG TARGETARCH\nCOPY a.txt /$TARGETARCH.txt\n");
        Write(context, "a.txt", "a\n");
        var archive = temp.Combine("out.tar");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = context, Tags = ["example.com/app:1"], Platforms = [Amd64, new Platform("linux", "arm64", "v8")],
            Destination = ImageDestination.At($"oci-archive:{archive}"),
        });

        Assert.Equal(2, result.Images.Count);
        Assert.NotNull(result.IndexDigest);
        Assert.Equal(result.IndexDigest, result.Digest);
        Assert.NotEqual(result.Images[0].ManifestDigest, result.Images[1].ManifestDigest);
        var raw = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", $"oci-archive:{archive}"])).EnsureSuccess("skopeo inspect --raw");
        Assert.Equal(result.IndexDigest?.ToString(), Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(raw.StandardOutput.TrimEnd('\n'))).ToString());
    }

    [Fact]
    public async Task Plan_warnings_are_logged_with_their_code_and_line_even_when_only_planning()
    {
        using var temp = new TempDirectory("uc-native");
        using var host = new TestHost();
        var context = temp.Combine("ctx");
        Write(context, "Dockerfile", "FROM scratch\nCOPY a.txt /$UNSET_NAME.txt\n");
        Write(context, "a.txt", "a\n");

        var result = await ImageBuild.RunAsync(host.Context, new ImageBuildRequest
        {
            ContextDirectory = context, BuildArguments = ["NOBODY_READS=1"], Platforms = [Amd64], PlanOnly = true,
        });

        Assert.Null(result.Backend);
        Assert.True(result.Plan.IsNative);
        var warnings = host.Logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.All(warnings, w => Assert.Equal(DiagnosticCodes.BuildPlanWarning, w.Diagnostic?.Code));
        var undefined = Assert.Single(warnings, w => w.Text.Contains("$UNSET_NAME", StringComparison.Ordinal));
        Assert.Equal(2, undefined.Diagnostic!.Location?.Line);
        Assert.EndsWith("ctx/Dockerfile", undefined.Diagnostic.Location?.File, StringComparison.Ordinal);
        var unused = Assert.Single(warnings, w => w.Text.Contains("NOBODY_READS", StringComparison.Ordinal));
        Assert.Equal(Setting.BuildArgument, unused.Diagnostic!.Setting);
    }

    [Fact]
    public async Task Bad_inputs_are_errors_that_name_the_setting_not_a_flag()
    {
        using var temp = new TempDirectory("uc-native");
        using var host = new TestHost();
        var context = temp.Combine("ctx");
        Directory.CreateDirectory(context);

        var noDockerfile = await Assert.ThrowsAsync<DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = context }));
        Assert.Equal(Setting.Dockerfile, noDockerfile.Setting);
        Assert.DoesNotContain("--", noDockerfile.Message, StringComparison.Ordinal);

        var noBase = await Assert.ThrowsAsync<DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = context, PublishDirectory = context }));
        Assert.Equal(Setting.PublishDirectory, noBase.Setting);

        Write(context, "Dockerfile", "FROM scratch\nCOPY a /a\nRUN echo hi\n");
        Write(context, "a", "a");
        var native = await Assert.ThrowsAsync<DockyardException>(() => ImageBuild.RunAsync(host.Context, new ImageBuildRequest { ContextDirectory = context, Backend = BackendKind.Native }));
        Assert.Equal(Setting.Backend, native.Setting);
        Assert.Contains("RUN echo hi", native.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("--backend", native.Message, StringComparison.Ordinal);
    }
}
