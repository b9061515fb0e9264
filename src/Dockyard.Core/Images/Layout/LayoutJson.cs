using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockyard.Images.Layout;

/// <summary>JSON settings and fixed files shared by the layout and archive writers.</summary>
internal static class LayoutJson
{
    /// <summary>Compact, nulls omitted.</summary>
    public static JsonSerializerOptions Options { get; } = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The <c>oci-layout</c> file.</summary>
    public static byte[] OciLayoutFile { get; } = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");
}
