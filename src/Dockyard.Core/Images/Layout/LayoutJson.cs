using System.Text;

namespace Dockyard.Images.Layout;

/// <summary>Fixed files shared by the layout and archive writers.</summary>
internal static class LayoutJson
{
    /// <summary>The <c>oci-layout</c> file.</summary>
    public static byte[] OciLayoutFile { get; } = Encoding.UTF8.GetBytes("{\"imageLayoutVersion\":\"1.0.0\"}");
}
