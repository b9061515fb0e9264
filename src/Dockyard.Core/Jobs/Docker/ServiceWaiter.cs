using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// Waits for one started service as GitLab Runner's health check does: dials the service's <paramref name="address"/>
/// (its address on the job's network, 127.0.0.1 on the host network; null: it has none, nothing to dial) on its
/// ports (<see cref="ServicePorts"/>) once a second until one accepts a connection or the timeout passes. It also stops
/// when the service container has exited (the runner dials on until the timeout). Failing, it returns the runner's
/// warning block with the reason and the service container's last log lines; the job goes on either way.
/// </summary>
internal sealed class ServiceWaiter(DockerClient client, string service, string containerId, IPAddress? address, IReadOnlyList<int> ports)
{
    /// <summary>How many of the service container's last log lines the warning shows.</summary>
    public const int LogTail = 100;

    private const int LogBytes = 64 * 1024;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly string _where = address?.ToString() ?? "the service (it has no address on the job's network)";

    /// <summary>The lines to log: none when a port answered, else the warning.</summary>
    public async Task<IReadOnlyList<string>> WaitAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        if (ports.Count == 0) return [$"Service {service} exposes no TCP port and sets no {ServicePorts.HealthcheckVariable}: not waiting for it"];
        var started = Stopwatch.GetTimestamp();
        var portList = "[" + string.Join(' ', ports.Select(p => p.ToString(CultureInfo.InvariantCulture))) + "]";
        string reason;
        while (true)
        {
            if (await AnyAcceptsAsync(cancellation).ConfigureAwait(false)) return [];
            var state = (await client.Containers.InspectContainerAsync(containerId, cancellation).ConfigureAwait(false)).State;
            if (state is { Running: false })
            {
                reason = $"the service container exited with code {state.ExitCode.ToString(CultureInfo.InvariantCulture)} before a TCP connection to {_where} on {portList} succeeded";
                break;
            }

            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                reason = $"no TCP connection to {_where} on {portList} succeeded within {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} seconds";
                break;
            }

            await Task.Delay(left < Interval ? left : Interval, cancellation).ConfigureAwait(false);
        }

        var lines = new List<string> { "", $"*** WARNING: Service {service} probably didn't start properly.", "", "Health check error:", reason, "", "Service container logs:" };
        lines.AddRange(await LastLogLinesAsync(cancellation).ConfigureAwait(false));
        lines.AddRange(["", "*********", ""]);
        return lines;
    }

    private async Task<bool> AnyAcceptsAsync(CancellationToken cancellation)
    {
        var attempts = ports.Select(port => AcceptsAsync(port, cancellation)).ToList();
        return (await Task.WhenAll(attempts).ConfigureAwait(false)).Any(accepted => accepted);
    }

    private async Task<bool> AcceptsAsync(int port, CancellationToken cancellation)
    {
        if (address is null) return false;
        using var dial = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        dial.CancelAfter(Interval);
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), dial.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<IReadOnlyList<string>> LastLogLinesAsync(CancellationToken cancellation)
    {
        var lines = new LogCollector();
        try
        {
            await client.Containers.GetContainerLogsAsync(containerId,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Timestamps = true, Tail = LogTail.ToString(CultureInfo.InvariantCulture) },
                lines, cancellation).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            lines.Report($"(the logs could not be read: {ex.Message.Trim()})");
        }

        return lines.Lines;
    }

    /// <summary>Collects log lines in order (<see cref="Progress{T}"/> would post them to the thread pool), up to 64 KiB as the runner reads.</summary>
    private sealed class LogCollector : IProgress<string>
    {
        private readonly List<string> _lines = [];
        private int _bytes;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines) return _lines.ToList();
            }
        }

        public void Report(string value)
        {
            lock (_lines)
            {
                _bytes += Encoding.UTF8.GetByteCount(value) + 1;
                if (_bytes <= LogBytes) _lines.Add(value);
            }
        }
    }
}
