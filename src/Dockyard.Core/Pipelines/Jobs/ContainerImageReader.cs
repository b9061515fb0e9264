using Dockyard.Diagnostics;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Pipelines.Jobs;

/// <summary>Reads <c>image</c> and <c>services</c> in string or hash form into their hash form.</summary>
internal static class ContainerImageReader
{
    private static readonly HashSet<string> ImageKeys = ["name", "entrypoint", "pull_policy", "docker", "kubernetes"];
    private static readonly HashSet<string> ServiceKeys = ["name", "alias", "entrypoint", "command", "variables", "pull_policy", "docker", "kubernetes"];

    public static ContainerImage? Image(YamlNode? node, string job) => node switch
    {
        null or YamlScalar { IsNull: true } => null,
        _ => Read(node, $"job '{job}'", "image", ImageKeys),
    };

    /// <summary>
    /// Checks a top-level (deprecated global) <c>image</c> or <c>services</c> as GitLab does: a job named <c>image</c> or
    /// <c>services</c> is not a job but that keyword, and its job keys are errors.
    /// </summary>
    public static void Global(YamlNode node, string key)
    {
        if (node is YamlMapping map && map.Entries.Any(e => IsJobKey(e.Key)))
            throw new SourceException(map.Location, $"'{key}' at the top level is GitLab's global {key} keyword, not a job, so its {string.Join(", ", map.Entries.Where(e => IsJobKey(e.Key)).Select(e => e.Key))} are unknown {key} keys.",
                $"Rename the job (for example to publish-{key}).");
        if (key == "image") _ = Read(node, "global", "image", ImageKeys);
        else if (node is YamlSequence list) foreach (var s in ScriptLines.Flatten(list, "services")) _ = Read(s, "global", "services", ServiceKeys);
    }

    public static IReadOnlyList<ContainerImage> Services(YamlNode? node, string job) => node switch
    {
        null or YamlScalar { IsNull: true } => [],
        YamlSequence list => ScriptLines.Flatten(list, $"job '{job}': services").Select(s => Read(s, $"job '{job}'", "services", ServiceKeys)).ToList(),
        _ => throw new SourceException(node.Location, $"job '{job}': services must be a list, not {node.KindName}.",
            "Write services: [docker:dind] or a list of hashes with name:."),
    };

    private static bool IsJobKey(string key) => JobKeywords.Job.Contains(key) && !ImageKeys.Contains(key) && !ServiceKeys.Contains(key);

    /// <summary>The hash form of an image or service node (for preview).</summary>
    public static YamlNode HashForm(YamlNode node) => node switch
    {
        YamlScalar { IsNull: false } s => NameOnly(s),
        YamlSequence list => new YamlSequence(list.Items.Select(HashForm).ToList(), list.Location),
        _ => node,
    };

    private static YamlMapping NameOnly(YamlScalar name)
    {
        var map = new YamlMapping(name.Location);
        map.Set("name", name.Location, name);
        return map;
    }

    private static ContainerImage Read(YamlNode node, string who, string key, HashSet<string> keys)
    {
        switch (node)
        {
            case YamlScalar { IsNull: false } s:
                return new ContainerImage(s.Text, null, null, null, NameOnly(s));
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (!keys.Contains(e.Key))
                        throw new SourceException(e.KeyLocation, $"{who}: unknown {key} keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, keys)}.",
                            $"Use one of {string.Join(", ", keys)}.");
                if (map["name"] is not YamlScalar { IsNull: false } name)
                    throw new SourceException(map.Location, $"{who}: {key} needs a name.", $"Add name: image:tag to the {key} hash.");
                var docker = DockerOptions(map["docker"], $"{who}: {key} {name.Text}");
                return new ContainerImage(name.Text, Text(map["alias"]), Strings(map["entrypoint"]), Strings(map["command"]), map)
                {
                    Variables = VariablesReader.Read(map["variables"], $"{who}: {key} {name.Text}", global: false, hashValues: false)
                        .ToDictionary(p => p.Key, p => p.Value.Value, StringComparer.Ordinal),
                    DockerPlatform = DockerOption(docker, "platform", 64, who),
                    DockerUser = DockerOption(docker, "user", 255, who),
                };
            default:
                throw new SourceException(node.Location, $"{who}: {key} must be an image name or a hash, not {node.KindName}.",
                    "Write image: alpine:3.20 or image: {name: alpine:3.20}.");
        }
    }

    /// <summary>
    /// The <c>docker:</c> hash, checked as GitLab's <c>schemas/imageable/executor_opts.json</c>: only <c>platform</c>
    /// (a string of 1-64 characters) and <c>user</c> (1-255).
    /// </summary>
    private static YamlMapping? DockerOptions(YamlNode? node, string who)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlMapping map:
                foreach (var e in map.Entries)
                    if (e.Key is not ("platform" or "user"))
                        throw new SourceException(e.KeyLocation, $"{who}: unknown docker keyword '{e.Key}'{Suggestions.DidYouMean(e.Key, DockerKeys)}.",
                            "Use platform or user.");
                return map;
            default:
                throw new SourceException(node.Location, $"{who}: docker must be a hash of platform and user, not {node.KindName}.",
                    "Write docker: {platform: linux/arm64, user: app}.");
        }
    }

    private static readonly string[] DockerKeys = ["platform", "user"];

    private static string? DockerOption(YamlMapping? docker, string key, int maxLength, string who) => docker?[key] switch
    {
        null => null,
        YamlScalar { Kind: YamlScalarKind.String } s when s.Text.Length is >= 1 && s.Text.Length <= maxLength => s.Text,
        YamlScalar { Kind: YamlScalarKind.String } s => throw new SourceException(s.Location,
            $"{who}: docker {key} must have 1 to {maxLength} characters, not {s.Text.Length}.", $"Give the {key} (for example {(key == "user" ? "app or '1000:1000'" : "linux/arm64")})."),
        var other => throw new SourceException(other.Location, $"{who}: docker {key} must be a string, not {other.KindName}.",
            key == "user" ? "Quote a numeric user: user: '1000' or user: '1000:1000'." : "Write the platform as os/arch, for example linux/arm64."),
    };

    private static string? Text(YamlNode? node) => node is YamlScalar { IsNull: false } s ? s.Text : null;

    private static IReadOnlyList<string>? Strings(YamlNode? node) => node switch
    {
        YamlSequence list => list.Items.OfType<YamlScalar>().Select(s => s.Text).ToList(),
        YamlScalar { IsNull: false } s => [s.Text],
        _ => null,
    };
}
