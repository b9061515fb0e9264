using System.Net.Http;
using System.Net.Sockets;

namespace Dockyard.Registries.Transport;

/// <summary>Whether a failure means the registry could not be reached at all (no name resolution, no connection), as opposed to an answer.</summary>
internal static class Unreachable
{
    /// <summary>True when <paramref name="error"/> or one of its inner exceptions is a name-resolution or connection failure.</summary>
    public static bool Is(Exception error)
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError }) return true;
            if (current is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData or SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.ConnectionRefused })
                return true;
        }

        return false;
    }
}
