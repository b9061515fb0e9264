using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Diagnostics;

namespace Dockyard.Images;

/// <summary>
/// An image config (OCI <c>config.md</c> / Docker image JSON) that keeps every field it does not model: a base
/// image's config is edited in place and written back with its unknown fields. Written like BuildKit writes it:
/// top-level keys sorted, <c>config</c> keys in Docker's struct order, compact JSON, times in RFC 3339 UTC.
/// </summary>
public sealed class ImageConfig
{
    /// <summary>PATH of an image built <c>FROM scratch</c> (BuildKit's default for Linux).</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static readonly string[] ConfigKeyOrder =
        ["User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels", "StopSignal", "ArgsEscaped", "Healthcheck", "OnBuild", "Shell"];

    private readonly JsonObject _root;

    private ImageConfig(JsonObject root) => _root = root;

    /// <summary>Parses config bytes (from a registry, a layout or an archive); <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="DockyardException">The bytes are not a JSON object with <c>architecture</c> and <c>os</c>.</exception>
    public static ImageConfig Parse(ReadOnlySpan<byte> json, string source = "image config")
    {
        // JsonNode reads string values lazily, so invalid UTF-8 inside one would only fail later, outside this check
        // (found by the docker-archive fuzz target).
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new DockyardException($"{source} is not valid JSON (it is not UTF-8 text); the image is damaged.");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new DockyardException($"{source} is not valid JSON ({e.Message}); the image is damaged.", e);
        }
        if (node is not JsonObject root || root["architecture"] is null || root["os"] is null)
            throw new DockyardException($"{source} is not an image config: it needs 'architecture' and 'os'.");
        if (root["rootfs"]?["diff_ids"] is JsonArray ids && ids.Any(id => id is not JsonValue v || !v.TryGetValue<string>(out var text) || !Digest.TryParse(text, out _)))
            throw new DockyardException($"{source} has a rootfs.diff_ids entry that is not a digest; the image is damaged.");
        return new ImageConfig(root);
    }

    /// <summary>The config of an image <c>FROM scratch</c>, as BuildKit makes it: platform, PATH, WorkingDir "/", no layers.</summary>
    public static ImageConfig CreateScratch(Platform platform)
    {
        var root = new JsonObject
        {
            ["architecture"] = platform.Architecture,
            ["os"] = platform.Os,
            ["config"] = new JsonObject { ["Env"] = new JsonArray("PATH=" + DefaultPath), ["WorkingDir"] = "/" },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray() },
        };
        if (platform.Variant is not null) root["variant"] = platform.Variant;
        return new ImageConfig(root);
    }

    /// <summary>A deep copy.</summary>
    public ImageConfig Clone() => new((JsonObject)_root.DeepClone());

    /// <summary>GOARCH value.</summary>
    public string Architecture { get => GetString(_root, "architecture") ?? ""; set => _root["architecture"] = value; }

    /// <summary>GOOS value.</summary>
    public string Os { get => GetString(_root, "os") ?? ""; set => _root["os"] = value; }

    /// <summary>CPU variant, if any.</summary>
    public string? Variant { get => GetString(_root, "variant"); set => SetOrRemove(_root, "variant", value); }

    /// <summary>The platform the config declares.</summary>
    public Platform Platform => new(Os, Architecture, Variant);

    /// <summary>Creation time.</summary>
    public DateTimeOffset? Created { get => GetTime(_root, "created"); set => SetOrRemove(_root, "created", value is null ? null : FormatTime(value.Value)); }

    /// <summary>Author (MAINTAINER).</summary>
    public string? Author { get => GetString(_root, "author"); set => SetOrRemove(_root, "author", value); }

    /// <summary><c>config.User</c>.</summary>
    public string? User { get => GetString(Config(false), "User"); set => SetOrRemove(Config(true)!, "User", value); }

    /// <summary><c>config.WorkingDir</c>.</summary>
    public string? WorkingDir { get => GetString(Config(false), "WorkingDir"); set => SetOrRemove(Config(true)!, "WorkingDir", value); }

    /// <summary><c>config.StopSignal</c>.</summary>
    public string? StopSignal { get => GetString(Config(false), "StopSignal"); set => SetOrRemove(Config(true)!, "StopSignal", value); }

    /// <summary><c>config.ArgsEscaped</c> (Docker; set by CMD/ENTRYPOINT in BuildKit).</summary>
    public bool? ArgsEscaped
    {
        get => Config(false)?["ArgsEscaped"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;
        set => SetOrRemove(Config(true)!, "ArgsEscaped", value is null ? null : JsonValue.Create(value.Value));
    }

    /// <summary><c>config.Env</c> as <c>KEY=VALUE</c> strings.</summary>
    public IReadOnlyList<string>? Env { get => GetStrings(Config(false), "Env"); set => SetStrings(Config(true)!, "Env", value); }

    /// <summary><c>config.Entrypoint</c>.</summary>
    public IReadOnlyList<string>? Entrypoint { get => GetStrings(Config(false), "Entrypoint"); set => SetStrings(Config(true)!, "Entrypoint", value); }

    /// <summary><c>config.Cmd</c>.</summary>
    public IReadOnlyList<string>? Cmd { get => GetStrings(Config(false), "Cmd"); set => SetStrings(Config(true)!, "Cmd", value); }

    /// <summary><c>config.Shell</c> (Docker extension).</summary>
    public IReadOnlyList<string>? Shell { get => GetStrings(Config(false), "Shell"); set => SetStrings(Config(true)!, "Shell", value); }

    /// <summary><c>config.OnBuild</c> (Docker extension).</summary>
    public IReadOnlyList<string>? OnBuild { get => GetStrings(Config(false), "OnBuild"); set => SetStrings(Config(true)!, "OnBuild", value); }

    /// <summary><c>config.Labels</c>.</summary>
    public IReadOnlyDictionary<string, string> Labels =>
        Config(false)?["Labels"] is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") : new Dictionary<string, string>();

    /// <summary>Keys of <c>config.ExposedPorts</c>, e.g. <c>8080/tcp</c>.</summary>
    public IReadOnlyList<string> ExposedPorts => Config(false)?["ExposedPorts"] is JsonObject o ? o.Select(p => p.Key).ToList() : [];

    /// <summary>Keys of <c>config.Volumes</c>.</summary>
    public IReadOnlyList<string> Volumes => Config(false)?["Volumes"] is JsonObject o ? o.Select(p => p.Key).ToList() : [];

    /// <summary><c>config.Healthcheck</c> as raw JSON, or null.</summary>
    public JsonObject? Healthcheck { get => Config(false)?["Healthcheck"] as JsonObject; set => SetOrRemove(Config(true)!, "Healthcheck", value?.DeepClone()); }

    /// <summary><c>rootfs.diff_ids</c>, base first.</summary>
    public IReadOnlyList<Digest> DiffIds => DiffIdArray(false)?.Select(n => Digest.Parse(n!.GetValue<string>())).ToList() ?? [];

    /// <summary><c>history</c>, oldest first.</summary>
    public IReadOnlyList<HistoryEntry> History => _root["history"] is JsonArray a
        ? a.OfType<JsonObject>().Select(h => new HistoryEntry(GetTime(h, "created"), GetString(h, "created_by"), GetString(h, "comment"),
            h["empty_layer"] is JsonValue v && v.TryGetValue<bool>(out var e) && e, GetString(h, "author"))).ToList()
        : [];

    /// <summary>The value of an environment variable, or null.</summary>
    public string? GetEnv(string key) =>
        Env?.FirstOrDefault(e => e.StartsWith(key + "=", StringComparison.Ordinal))?[(key.Length + 1)..];

    /// <summary>Sets an environment variable: replaces it in place if present, else appends (Docker's <c>addEnv</c>).</summary>
    public void SetEnv(string key, string value) => SetEnv([KeyValuePair.Create(key, value)]);

    /// <summary>
    /// Sets environment variables in order, each as <see cref="SetEnv(string, string)"/> does, reading and writing
    /// <c>config.Env</c> once (one <c>ENV</c> line with 20,000 pairs stays linear).
    /// </summary>
    public void SetEnv(IEnumerable<KeyValuePair<string, string>> variables)
    {
        var env = Env?.ToList() ?? [];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = env.Count - 1; i >= 0; i--)
        {
            var equals = env[i].IndexOf('=', StringComparison.Ordinal);
            index[equals < 0 ? env[i] : env[i][..equals]] = i;
        }
        foreach (var (key, value) in variables)
        {
            if (index.TryGetValue(key, out var at)) env[at] = key + "=" + value;
            else
            {
                index[key] = env.Count;
                env.Add(key + "=" + value);
            }
        }
        Env = env;
    }

    /// <summary>Sets a label.</summary>
    public void SetLabel(string key, string value) => ObjectOf(Config(true)!, "Labels")[key] = value;

    /// <summary>Adds an exposed port key (e.g. <c>80/tcp</c>).</summary>
    public void AddExposedPort(string port) => ObjectOf(Config(true)!, "ExposedPorts")[port] = new JsonObject();

    /// <summary>Adds a volume.</summary>
    public void AddVolume(string path) => ObjectOf(Config(true)!, "Volumes")[path] = new JsonObject();

    /// <summary>Appends a diff_id to <c>rootfs.diff_ids</c>.</summary>
    public void AddDiffId(Digest diffId) => DiffIdArray(true)!.Add(diffId.ToString());

    /// <summary>Appends a history entry.</summary>
    public void AddHistory(HistoryEntry entry)
    {
        if (_root["history"] is not JsonArray history) _root["history"] = history = [];
        var node = new JsonObject();
        if (entry.Created is { } created) node["created"] = FormatTime(created);
        if (entry.CreatedBy is not null) node["created_by"] = entry.CreatedBy;
        if (entry.Author is not null) node["author"] = entry.Author;
        if (entry.Comment is not null) node["comment"] = entry.Comment;
        if (entry.EmptyLayer) node["empty_layer"] = true;
        history.Add(node);
    }

    /// <summary>A field this type does not model (e.g. <c>moby.buildkit.buildinfo.v1</c>), or null.</summary>
    public JsonNode? GetField(string name) => _root[name]?.DeepClone();

    /// <summary>The config as written to a blob: compact, top-level keys sorted, <c>config</c> keys in Docker's order.</summary>
    public byte[] ToJsonBytes()
    {
        var output = new JsonObject();
        foreach (var (key, value) in _root.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var copy = value?.DeepClone();
            if (key == "config" && copy is JsonObject config) copy = OrderConfig(config);
            output[key] = copy;
        }
        return JsonSerializer.SerializeToUtf8Bytes(output, ImageJson.Options);
    }

    /// <summary>Formats a time like Go's RFC 3339 marshalling of a UTC time.</summary>
    public static string FormatTime(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonObject OrderConfig(JsonObject config)
    {
        var ordered = new JsonObject();
        foreach (var key in ConfigKeyOrder)
            if (config.TryGetPropertyValue(key, out var value)) ordered[key] = value?.DeepClone();
        foreach (var (key, value) in config)
            if (!ordered.ContainsKey(key)) ordered[key] = value?.DeepClone();
        return ordered;
    }

    private JsonObject? Config(bool create)
    {
        if (_root["config"] is JsonObject config) return config;
        if (!create) return null;
        _root["config"] = config = new JsonObject();
        return config;
    }

    private JsonArray? DiffIdArray(bool create)
    {
        if (_root["rootfs"] is not JsonObject rootfs)
        {
            if (!create) return null;
            _root["rootfs"] = rootfs = new JsonObject { ["type"] = "layers" };
        }
        if (rootfs["diff_ids"] is JsonArray ids) return ids;
        if (!create) return null;
        rootfs["diff_ids"] = ids = [];
        return ids;
    }

    private static JsonObject ObjectOf(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject o) return o;
        parent[key] = o = new JsonObject();
        return o;
    }

    private static string? GetString(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTimeOffset? GetTime(JsonObject o, string key) =>
        GetString(o, key) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static IReadOnlyList<string>? GetStrings(JsonObject? o, string key) =>
        o?[key] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? "").ToList() : null;

    private static void SetStrings(JsonObject o, string key, IReadOnlyList<string>? values) =>
        SetOrRemove(o, key, values is null ? null : new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()));

    private static void SetOrRemove(JsonObject o, string key, JsonNode? value)
    {
        if (value is null) o.Remove(key); else o[key] = value;
    }
}
