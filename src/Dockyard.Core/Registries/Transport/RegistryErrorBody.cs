using System.Text.Json;

namespace Dockyard.Registries.Transport;

/// <summary>Reads the distribution error body <c>{"errors":[{"code","message","detail"}]}</c> for messages.</summary>
internal static class RegistryErrorBody
{
    /// <summary>The error codes of a body (empty when it is not the JSON error shape).</summary>
    public static IReadOnlyList<(string Code, string? Message)> Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return [];
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array) return [];
            var list = new List<(string, string?)>();
            foreach (var e in errors.EnumerateArray())
            {
                if (e.ValueKind != JsonValueKind.Object) continue;
                var code = e.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "UNKNOWN";
                var message = e.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                list.Add((code, message));
            }
            return list;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>", CODE: message; ..." for a message, or a short excerpt of a non-JSON body, or empty.</summary>
    public static string Describe(string? body)
    {
        var errors = Parse(body);
        if (errors.Count > 0) return ", " + string.Join("; ", errors.Select(e => e.Message is null ? e.Code : $"{e.Code}: {e.Message}"));
        if (string.IsNullOrWhiteSpace(body)) return "";
        var text = body.Trim().ReplaceLineEndings(" ");
        return ", " + (text.Length > 200 ? text[..200] + "…" : text);
    }
}
