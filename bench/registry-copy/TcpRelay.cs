using System.Net;
using System.Net.Sockets;

namespace Dockyard.Bench;

/// <summary>A loopback TCP relay in front of a registry that counts the bytes clients send (what either tool uploads).</summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private long _sent;
    private long _received;
    private readonly Task _accepting;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary><c>127.0.0.1:PORT</c> of the relay.</summary>
    public string Host => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Bytes sent by clients to the registry.</summary>
    public long BytesSent => Interlocked.Read(ref _sent);

    /// <summary>Bytes sent by the registry to clients.</summary>
    public long BytesReceived => Interlocked.Read(ref _received);

    public void Reset()
    {
        Interlocked.Exchange(ref _sent, 0);
        Interlocked.Exchange(ref _received, 0);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _targetPort);
            var a = client.GetStream();
            var b = upstream.GetStream();
            var up = PumpAsync(a, b, n => Interlocked.Add(ref _sent, n));
            var down = PumpAsync(b, a, n => Interlocked.Add(ref _received, n));
            await Task.WhenAny(up, down);
        }
    }

    private async Task PumpAsync(Stream from, Stream to, Action<long> count)
    {
        var buffer = new byte[81920];
        try
        {
            int n;
            while ((n = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                count(n);
                await to.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
            to.Close();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _accepting; } catch (Exception e) when (e is OperationCanceledException or SocketException) { }
        _stop.Dispose();
    }
}
