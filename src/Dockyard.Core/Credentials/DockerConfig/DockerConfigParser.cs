using System.Text;
using System.Text.Json;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials.DockerConfig;

/// <summary>
/// Reads docker's <c>config.json</c> (also GitLab's <c>DOCKER_AUTH_CONFIG</c> and podman's <c>auth.json</c>) and the legacy
/// <c>.dockercfg</c>. Errors name the origin with line:column and never quote the content (it holds secrets).
/// </summary>
internal static class DockerConfigParser
{
    private static readonly JsonDocumentOptions Options = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a <c>config.json</c>: <c>auths</c>, <c>credsStore</c>, <c>credHelpers</c> (other fields ignored).</summary>
    public static DockerConfigDocument ParseConfig(string text, string origin)
    {
        using var document = Parse(text, origin);
        var root = RequireObject(document.RootElement, origin, "the document");
        var auths = new List<DockerAuthEntry>();
        string? credsStore = null;
        var credHelpers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("auths") || property.Name.Equals("auths", StringComparison.OrdinalIgnoreCase))
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                foreach (var entry in RequireObject(property.Value, origin, "\"auths\"").EnumerateObject())
                {
                    auths.Add(ReadEntry(entry.Name, entry.Value, origin, $"auths[\"{entry.Name}\"]"));
                }
            }
            else if (property.Name.Equals("credsStore", StringComparison.OrdinalIgnoreCase))
            {
                credsStore = ReadString(property.Value, origin, "\"credsStore\"");
            }
            else if (property.Name.Equals("credHelpers", StringComparison.OrdinalIgnoreCase))
            {
                if (property.Value.ValueKind == JsonValueKind.Null)
                {
                    continue;
                }

                foreach (var helper in RequireObject(property.Value, origin, "\"credHelpers\"").EnumerateObject())
                {
                    var name = ReadString(helper.Value, origin, $"credHelpers[\"{helper.Name}\"]");
                    if (!string.IsNullOrEmpty(name))
                    {
                        credHelpers[helper.Name] = name;
                    }
                }
            }
        }

        return new DockerConfigDocument(origin, auths, string.IsNullOrEmpty(credsStore) ? null : credsStore, credHelpers);
    }

    /// <summary>
    /// Parses a legacy <c>~/.dockercfg</c>: a JSON object of <c>key → {auth, email}</c>, or the oldest two-line form
    /// <c>auth = …</c> / <c>email = …</c> (which is for Docker Hub).
    /// </summary>
    public static DockerConfigDocument ParseLegacy(string text, string origin)
    {
        var trimmed = text.TrimStart();
        var auths = new List<DockerAuthEntry>();
        if (trimmed.StartsWith('{'))
        {
            using var document = Parse(text, origin);
            foreach (var entry in RequireObject(document.RootElement, origin, "the document").EnumerateObject())
            {
                auths.Add(ReadEntry(entry.Name, entry.Value, origin, $"[\"{entry.Name}\"]"));
            }
        }
        else
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var parts = lines[i].Split('=', 2);
                if (parts.Length == 2 && parts[0].Trim() == "auth")
                {
                    var location = new SourceLocation(origin, i + 1, lines[i].IndexOf('=') + 2);
                    var (user, password) = DecodeAuth(parts[1].Trim(), location.ToString(), "auth");
                    auths.Add(new DockerAuthEntry(RegistryName.DockerHubConfigKey, user, password, null, null));
                }
            }

            if (auths.Count == 0 && trimmed.Length > 0)
            {
                throw new SourceException(new SourceLocation(origin, 1, 1),
                    "is neither JSON nor the legacy 'auth = …' format.", "Fix or delete the file, then run 'docker login' again.");
            }
        }

        return new DockerConfigDocument(origin, auths, null, new Dictionary<string, string>());
    }

    private static JsonDocument Parse(string text, string origin)
    {
        try
        {
            return JsonDocument.Parse(text, Options);
        }
        catch (JsonException error)
        {
            // The parser's own message may quote content (a secret), so only its position is reported.
            var location = new SourceLocation(origin, (int)(error.LineNumber ?? -1) + 1, (int)(error.BytePositionInLine ?? -1) + 1);
            throw new SourceException(location, "is not valid JSON.",
                "Fix the syntax (a docker config is a JSON object with \"auths\", \"credsStore\", \"credHelpers\").");
        }
    }

    private static DockerAuthEntry ReadEntry(string key, JsonElement value, string origin, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new DockerAuthEntry(key, null, null, null, null);
        }

        var entry = RequireObject(value, origin, path);
        string? auth = null, username = null, password = null, identityToken = null, registryToken = null;
        foreach (var field in entry.EnumerateObject())
        {
            switch (field.Name.ToLowerInvariant())
            {
                case "auth": auth = ReadString(field.Value, origin, $"{path}.auth"); break;
                case "username": username = ReadString(field.Value, origin, $"{path}.username"); break;
                case "password": password = ReadString(field.Value, origin, $"{path}.password"); break;
                case "identitytoken": identityToken = ReadString(field.Value, origin, $"{path}.identitytoken"); break;
                case "registrytoken": registryToken = ReadString(field.Value, origin, $"{path}.registrytoken"); break;
            }
        }

        if (!string.IsNullOrEmpty(auth))
        {
            (username, password) = DecodeAuth(auth, origin, $"{path}.auth");
        }

        return new DockerAuthEntry(key, NullIfEmpty(username), NullIfEmpty(password), NullIfEmpty(identityToken), NullIfEmpty(registryToken));
    }

    /// <summary>Docker's <c>decodeAuth</c>: standard base64 of <c>user:password</c>, split at the first colon, NULs trimmed.</summary>
    private static (string User, string Password) DecodeAuth(string auth, string origin, string path)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(auth.Trim());
        }
        catch (FormatException)
        {
            throw new DockyardException(
                $"{origin}: {path} is not valid base64. It must be base64(\"user:password\"); run 'docker login' again or fix the entry.");
        }

        var decoded = Encoding.UTF8.GetString(bytes);
        var colon = decoded.IndexOf(':');
        if (colon <= 0)
        {
            throw new DockyardException(
                $"{origin}: {path} does not decode to \"user:password\" (no user name). Run 'docker login' again or fix the entry.");
        }

        return (decoded[..colon], decoded[(colon + 1)..].TrimEnd('\0'));
    }

    private static JsonElement RequireObject(JsonElement element, string origin, string path) =>
        element.ValueKind == JsonValueKind.Object
            ? element
            : throw new DockyardException($"{origin}: {path} must be a JSON object, not {Describe(element.ValueKind)}. Fix the file.");

    private static string? ReadString(JsonElement element, string origin, string path) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Null => null,
        _ => throw new DockyardException($"{origin}: {path} must be a string, not {Describe(element.ValueKind)}. Fix the file."),
    };

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.String => "a string",
        _ => "null",
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
