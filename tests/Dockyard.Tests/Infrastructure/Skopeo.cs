using System.Text.Json;

namespace Dockyard.Tests.Infrastructure;

/// <summary>The real skopeo, to check what Dockyard pushed without Dockyard's code.</summary>
public static class Skopeo
{
    /// <summary>The raw manifest bytes of <c>docker://&lt;registry&gt;/&lt;repositoryAndTag&gt;</c> as skopeo fetches them.</summary>
    public static async Task<byte[]> RawManifestAsync(RegistryServer registry, string repositoryAndTag)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--raw", .. registry.SkopeoArguments(), $"docker://{registry.Host}/{repositoryAndTag}"]))
            .EnsureSuccess("skopeo inspect --raw");
        return System.Text.Encoding.UTF8.GetBytes(result.StandardOutput.TrimEnd('\n'));
    }

    /// <summary><c>skopeo inspect</c> (JSON with Digest, Layers, Os, Architecture, Env…).</summary>
    public static async Task<JsonElement> InspectAsync(RegistryServer registry, string repositoryAndTag)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["inspect", .. registry.SkopeoArguments(), $"docker://{registry.Host}/{repositoryAndTag}"]))
            .EnsureSuccess("skopeo inspect");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.Clone();
    }

    /// <summary>The tags skopeo lists for a repository.</summary>
    public static async Task<IReadOnlyList<string>> ListTagsAsync(RegistryServer registry, string repository)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["list-tags", .. registry.SkopeoArguments(), $"docker://{registry.Host}/{repository}"]))
            .EnsureSuccess("skopeo list-tags");
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.GetProperty("Tags").EnumerateArray().Select(t => t.GetString()!).Order().ToList();
    }

    /// <summary><c>skopeo inspect --config</c> of any transport (<c>oci:DIR:TAG</c>, <c>docker-archive:FILE</c>, <c>docker://…</c>).</summary>
    public static async Task<System.Text.Json.Nodes.JsonNode> InspectConfigAsync(string transport, params string[] options)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["inspect", "--config", .. options, transport])).EnsureSuccess("skopeo inspect --config " + transport);
        return System.Text.Json.Nodes.JsonNode.Parse(result.StandardOutput)!;
    }

    /// <summary><c>skopeo inspect</c> of any transport.</summary>
    public static async Task<JsonElement> InspectTransportAsync(string transport, params string[] options)
    {
        var result = (await ProcessRunner.RunAsync("skopeo", ["inspect", .. options, transport])).EnsureSuccess("skopeo inspect " + transport);
        using var json = JsonDocument.Parse(result.StandardOutput);
        return json.RootElement.Clone();
    }
}
