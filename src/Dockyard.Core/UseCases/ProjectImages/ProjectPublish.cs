using System.Text.Json;
using System.Text.Json.Nodes;
using Dockyard.Builders;
using Dockyard.Credentials;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Processes;
using Microsoft.Extensions.Logging;

namespace Dockyard.UseCases.ProjectImages;

/// <summary>
/// "Publish a project's image" for fronts that are not MSBuild: runs this machine's <c>dotnet publish
/// -p:PublishImage=true</c> on the project, so that Dockyard.MSBuild's own target (and so <see cref="ProjectImage"/>)
/// decides the image exactly as a plain <c>dotnet publish</c> would, and reads back the digest and tags it wrote.
/// Logins of the session reach the child through the SDK's <c>DOTNET_CONTAINER_PUSH_REGISTRY_*</c> variables (never a
/// command line).
/// </summary>
public static class ProjectPublish
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    /// <summary>Publishes <paramref name="request"/>'s project and its image.</summary>
    /// <exception cref="DockyardException">No SDK, a project without Dockyard.MSBuild, or a failed publish (its errors named).</exception>
    public static async Task<ProjectPublishResult> RunAsync(HostContext host, ProjectPublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(request);
        var project = host.FullPath(request.Project);
        if (!File.Exists(project) && !Directory.Exists(project))
            throw new DockyardException($"{request.Project}: no such project file or directory. Give the path of the .csproj to publish.");
        var dotnet = ExecutableLookup.Find("dotnet", host.Get("PATH") ?? "")
            ?? throw new DockyardException("dotnet was not found on PATH; publishing a project's image needs the .NET SDK. Install it or put it on PATH.");

        var properties = new List<string> { "-p:PublishImage=true", $"-p:Configuration={request.Configuration}" };
        if (request.Registry is { Length: > 0 } registry) properties.Add($"-p:ContainerRegistry={registry}");
        if (request.Repository is { Length: > 0 } repository) properties.Add($"-p:ContainerRepository={repository}");
        if (request.Tags.Count > 0) properties.Add($"-p:ContainerImageTags={string.Join("%3B", request.Tags)}");
        properties.AddRange(request.Properties.Select(p => $"-p:{p.Key}={p.Value}"));

        // One publish; the package's own property says afterwards whether Dockyard.MSBuild took part (directly,
        // through Directory.Build.props or transitively), so no separate evaluation is needed.
        var published = await RunAsync(host, dotnet, ["publish", project, "-nologo", "-nodeReuse:false", "-getProperty:DockyardTasksAssembly",
            "-getProperty:GeneratedImageDigest", "-getItem:GeneratedImageTags", "-getItem:GeneratedImageReference", .. properties], request, cancellationToken).ConfigureAwait(false);
        if (Property(published, "DockyardTasksAssembly").Length == 0)
            throw new DockyardException($"{request.Project} does not reference Dockyard.MSBuild, so `dotnet publish -p:PublishImage=true` built no image. Add <PackageReference Include=\"Dockyard.MSBuild\" Version=\"…\" /> to it.");
        var tags = Items(published, "GeneratedImageTags");
        var names = Items(published, "GeneratedImageReference");
        var digest = Property(published, "GeneratedImageDigest");
        return new ProjectPublishResult(digest.Length > 0 ? digest : null, tags, names);
    }

    private static async Task<JsonElement> RunAsync(HostContext host, string dotnet, IReadOnlyList<string> arguments, ProjectPublishRequest request, CancellationToken cancellationToken)
    {
        var environment = host.Variables.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal);
        if (AuthConfig(host) is { } auth) environment["DOCKER_AUTH_CONFIG"] = auth;

        var result = await ProcessRunner.RunAsync(new ProcessRequest(dotnet, arguments)
        {
            WorkingDirectory = host.WorkingDirectory,
            InheritEnvironment = false,
            Environment = environment,
            StreamStandardOutput = false,
            MaxCapturedBytes = 16 * 1024 * 1024,
            Timeout = Timeout,
            Masker = host.Masker,
            OnLine = line => host.Logger.LogInformation("{Line}", line),
        }, cancellationToken).ConfigureAwait(false);
        var output = host.Masker.Mask(result.StandardOutput.Text);
        if (!result.Succeeded)
        {
            // With -getProperty, MSBuild prints its errors (file(line,col): error CODE: …) to standard output.
            var errors = output.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().Take(10).ToList();
            throw new DockyardException($"dotnet {arguments[0]} {request.Project} failed (exit {result.ExitCode})" +
                (errors.Count > 0 ? ":\n  " + string.Join("\n  ", errors) : $": {result.Tail()}") + "\nFix what it names and run again.");
        }

        var start = output.IndexOf('{', StringComparison.Ordinal);
        try
        {
            using var json = JsonDocument.Parse(start >= 0 ? output[start..] : "{}");
            return json.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new DockyardException($"dotnet {arguments[0]} {request.Project} printed no result Dockyard can read ({error.Message}); run it with -v:n to see why.", error);
        }
    }

    /// <summary>
    /// The session's logins for the child as GitLab Runner passes them, <c>DOCKER_AUTH_CONFIG</c> (in its environment,
    /// never a command line), merged over the host's own; null when the session has none for a named registry.
    /// </summary>
    private static string? AuthConfig(HostContext host)
    {
        var logins = host.Credentials.All.Where(c => c.Registry is { Length: > 0 }).ToList();
        if (logins.Count == 0) return null;
        JsonObject root;
        try
        {
            root = host.Get("DOCKER_AUTH_CONFIG") is { } existing && JsonNode.Parse(existing) is JsonObject o ? o : new();
        }
        catch (JsonException)
        {
            root = new();
        }

        if (root["auths"] is not JsonObject auths) root["auths"] = auths = new();
        foreach (var login in logins)
        {
            var credential = new RegistryCredential(login.Username, login.Password, null, null, "a login of this session");
            host.Masker.Add(credential);
            auths[login.Registry!] = RegistryAuthEntries.Entry(credential);
        }

        return root.ToJsonString();
    }

    private static List<string> Items(JsonElement root, string name) =>
        root.TryGetProperty("Items", out var items) && items.TryGetProperty(name, out var list)
            ? list.EnumerateArray().Select(i => i.GetProperty("Identity").GetString() ?? "").Where(n => n.Length > 0).ToList()
            : [];

    private static string Property(JsonElement root, string name) =>
        root.TryGetProperty("Properties", out var properties) && properties.TryGetProperty(name, out var value) ? value.GetString() ?? "" : "";
}
