using System.Text;
using Dockyard.Builders;
using Dockyard.Images;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Builders.Backends;

/// <summary>
/// A build context for the container-backend tests: a multi-stage Dockerfile whose stages <c>RUN</c> busybox
/// <c>sh</c>, over a busybox base image (Debian's <c>/bin/busybox</c>, see <see cref="TestImages"/>) pushed with skopeo
/// into the test registry. The <c>final</c> stage is the target; a stage after it fails if it is ever built.
/// </summary>
internal sealed class BackendScenario : IDisposable
{
    /// <summary>What <c>docker run</c> of the built image prints.</summary>
    public const string ExpectedOutput = "hello from builder\nbuilt by final";

    public const string Dockerfile = """
        # syntax=docker/dockerfile:1
        ARG BASE
        FROM ${BASE} AS builder
        ARG GREETING
        RUN echo "$GREETING from builder" > /greeting.txt

        FROM ${BASE} AS final
        COPY --from=builder /greeting.txt /greeting.txt
        RUN echo "built by final" >> /greeting.txt
        LABEL stage=final
        CMD ["/bin/sh", "-c", "while read line; do echo \"$line\"; done < /greeting.txt"]

        FROM ${BASE} AS never
        RUN echo "the never stage was built" && exit 7
        """;

    private readonly TempDirectory _context = new("ctx");

    private BackendScenario(RegistryServer registry, string dockerfile)
    {
        Registry = registry;
        File.WriteAllText(_context.Combine("Dockerfile"), dockerfile);
    }

    /// <summary>The registry holding the base image and receiving the result.</summary>
    public RegistryServer Registry { get; }

    /// <summary>The base image reference.</summary>
    public string BaseImage => $"{Registry.Host}/busybox:1";

    /// <summary>The build context.</summary>
    public string Context => _context.Path;

    /// <summary>Writes the context and pushes the busybox base image into <paramref name="registry"/>.</summary>
    public static async Task<BackendScenario> CreateAsync(RegistryServer registry, string dockerfile = Dockerfile)
    {
        var scenario = new BackendScenario(registry, dockerfile);
        await TestImages.PushWithSkopeoAsync(TestImages.Create("base"), registry, "busybox:1");
        return scenario;
    }

    /// <summary>A request building the <c>final</c> stage, tagged <c>REGISTRY/REPOSITORY:1</c> and <c>:latest</c>.</summary>
    public BackendBuildRequest Request(string repository, IReadOnlyDictionary<string, string>? extraBuildArguments = null)
    {
        var arguments = new Dictionary<string, string> { ["BASE"] = BaseImage, ["GREETING"] = "hello" };
        foreach (var (name, value) in extraBuildArguments ?? new Dictionary<string, string>()) arguments[name] = value;
        return new BackendBuildRequest
        {
            ContextDirectory = Context,
            Target = "final",
            BuildArguments = arguments,
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "backend test" },
            Tags = [Registry.Reference($"{repository}:1"), Registry.Reference($"{repository}:latest")],
            Platforms = [new Platform("linux", "amd64")],
            PullRegistries = [Registry.Host],
        };
    }

    /// <summary>Checks the pushed image with skopeo: both tags, the labels, the platform, the base's layers then <paramref name="ownLayers"/> more.</summary>
    public async Task AssertPushedAsync(string repository, BackendBuildResult result, int ownLayers)
    {
        Assert.Equal(["1", "latest"], await Skopeo.ListTagsAsync(Registry, repository));
        var inspect = await Skopeo.InspectAsync(Registry, $"{repository}:1");
        Assert.Equal("linux", inspect.GetProperty("Os").GetString());
        Assert.Equal("amd64", inspect.GetProperty("Architecture").GetString());
        var labels = inspect.GetProperty("Labels");
        Assert.Equal("final", labels.GetProperty("stage").GetString());
        Assert.Equal("backend test", labels.GetProperty("org.opencontainers.image.title").GetString());
        // Compared by diff_id: docker re-compresses the base layers when it pushes them to another repository.
        var baseLayers = await DiffIdsAsync("busybox:1");
        var layers = await DiffIdsAsync($"{repository}:1");
        Assert.Equal(baseLayers.Count + ownLayers, layers.Count);
        Assert.Equal(inspect.GetProperty("Layers").GetArrayLength(), layers.Count);
        Assert.Equal(baseLayers, layers.Take(baseLayers.Count));
        Assert.Equal(2, result.Pushed.Count);
        var digest = inspect.GetProperty("Digest").GetString();
        Assert.All(result.Pushed, p => Assert.Equal(digest, p.Digest?.ToString()));
    }

    private async Task<List<string>> DiffIdsAsync(string repositoryAndTag)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", .. Registry.SkopeoArguments(), $"docker://{Registry.Host}/{repositoryAndTag}"]))
            .EnsureSuccess("skopeo inspect --config");
        using var config = System.Text.Json.JsonDocument.Parse(result.StandardOutput);
        return config.RootElement.GetProperty("rootfs").GetProperty("diff_ids").EnumerateArray().Select(d => d.GetString()!).ToList();
    }

    /// <summary>Asserts that no secret (nor its base64 forms) occurs in any of <paramref name="texts"/>.</summary>
    public static void AssertNoSecret(string secret, string username, IEnumerable<string> texts)
    {
        var forms = new[] { secret, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{secret}")), Convert.ToBase64String(Encoding.UTF8.GetBytes(secret)) };
        foreach (var text in texts)
            foreach (var form in forms)
                Assert.DoesNotContain(form, text, StringComparison.Ordinal);
    }

    /// <summary>Deletes the context.</summary>
    public void Dispose() => _context.Dispose();
}
