using System.Net;
using System.Net.Sockets;

namespace Dockyard.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 for servers that cannot bind port 0 themselves.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago (bind may still race; callers retry on failure).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
