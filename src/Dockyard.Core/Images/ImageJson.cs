using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Images;

/// <summary>
/// JSON settings for every config, manifest and index Dockyard writes: compact, nulls omitted, and characters such as
/// <c>+</c>, <c>'</c> and non-ASCII written as themselves (like Go's encoder) rather than as <c>\uXXXX</c>.
/// </summary>
internal static class ImageJson
{
    /// <summary>The shared options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
