using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// The TCP ports the docker executor waits for after starting a service, as GitLab Runner picks them: the
/// <c>HEALTHCHECK_TCP_PORT</c> of the service container's environment (its image's <c>ENV</c> and its variables; the
/// name in any case) when set, else the image's exposed TCP ports, lowest first, at most 20. None: no wait.
/// </summary>
internal static class ServicePorts
{
    /// <summary>The variable that names the one port to wait for.</summary>
    public const string HealthcheckVariable = "HEALTHCHECK_TCP_PORT";

    /// <summary>The most exposed ports the runner checks.</summary>
    public const int MaxExposed = 20;

    /// <summary>
    /// The ports of service <paramref name="service"/> whose container has <paramref name="environment"/>
    /// (<c>NAME=value</c>) and <paramref name="exposedPorts"/> (<c>PORT/PROTO</c> keys, no protocol meaning tcp).
    /// </summary>
    public static IReadOnlyList<int> Of(string service, IEnumerable<string>? environment, IEnumerable<string>? exposedPorts)
    {
        foreach (var entry in environment ?? [])
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0 || !entry.AsSpan(0, equals).Equals(HealthcheckVariable, StringComparison.OrdinalIgnoreCase)) continue;
            var text = entry[(equals + 1)..];
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                throw new DockyardException($"service {service}: {HealthcheckVariable} '{text}' is not a TCP port (1-65535). Set it in the service's variables: to the port the service listens on.") { Subject = service };
            return [port];
        }

        var ports = new SortedSet<int>();
        foreach (var key in exposedPorts ?? [])
        {
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var protocol = slash < 0 ? "tcp" : key[(slash + 1)..];
            if (!protocol.Equals("tcp", StringComparison.OrdinalIgnoreCase)) continue;
            if (int.TryParse(slash < 0 ? key : key[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 1 and <= 65535)
                ports.Add(port);
        }

        return ports.Take(MaxExposed).ToList();
    }
}
