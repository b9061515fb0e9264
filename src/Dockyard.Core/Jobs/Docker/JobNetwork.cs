using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Dockyard.Jobs.Reports;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// How the containers of one docker-executor attempt are connected. With a network (as GitLab Runner's
/// <c>FF_NETWORK_PER_BUILD</c>): a user-defined bridge network of its own (<see cref="ContainerNames.Network"/>, labelled
/// as the containers are), the services on it with their hostnames as network aliases, the steps on it too, each service
/// dialed at its address on that network; disposing removes it. Without (the job has no services, the job sets
/// <c>FF_NETWORK_PER_BUILD=false</c>, or the daemon could not create one): the host network, the services' hostnames
/// in the steps' <c>/etc/hosts</c> pointing at 127.0.0.1.
/// </summary>
internal sealed class JobNetwork : IAsyncDisposable
{
    private const string HostMode = "host";
    private readonly DockerClient _client;
    private readonly JobTrace _trace;
    private string? _name;

    private JobNetwork(DockerClient client, JobTrace trace, string? name)
    {
        _client = client;
        _trace = trace;
        _name = name;
    }

    /// <summary>The containers' <c>NetworkMode</c>: the network's name or <c>host</c>.</summary>
    public string Mode => _name ?? HostMode;

    /// <summary>The host network: nothing to create or remove.</summary>
    public static JobNetwork Host(DockerClient client, JobTrace trace) => new(client, trace, null);

    /// <summary>
    /// Creates the attempt's network for job <paramref name="jobName"/>; when the daemon at <paramref name="endpoint"/>
    /// refuses, one warning with its reason and the host network.
    /// </summary>
    public static async Task<JobNetwork> CreateAsync(DockerClient client, string endpoint, string jobName, JobTrace trace)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(trace);
        var name = ContainerNames.Network(jobName);
        try
        {
            // Not cancellable: a network created after a cancel would be left behind unseen.
            await client.Networks.CreateNetworkAsync(new NetworksCreateParameters
            {
                Name = name,
                Driver = "bridge",
                Labels = new Dictionary<string, string> { [ContainerNames.Label] = "network", [ContainerNames.JobLabel] = jobName },
            }, CancellationToken.None).ConfigureAwait(false);
            return new JobNetwork(client, trace, name);
        }
        catch (DockerApiException ex)
        {
            trace.Warning($"the Docker daemon at {endpoint} could not create a network for the job ({Reason(ex)}); its services and steps use the host network, so services are reached at 127.0.0.1 and two jobs' services cannot use the same port at once");
            return Host(client, trace);
        }
    }

    /// <summary>The <c>/etc/hosts</c> entries of the step containers for services reached by <paramref name="hostnames"/>: on the host network only.</summary>
    public List<string> ExtraHosts(IEnumerable<string> hostnames) =>
        _name is null ? hostnames.Select(h => h + ":127.0.0.1").ToList() : [];

    /// <summary>A service container's endpoint on the network with <paramref name="aliases"/>; null on the host network.</summary>
    public NetworkingConfig? Endpoint(IReadOnlyList<string> aliases) =>
        _name is null ? null : new NetworkingConfig { EndpointsConfig = new Dictionary<string, EndpointSettings> { [_name] = new() { Aliases = aliases.ToList() } } };

    /// <summary>
    /// Where this machine dials the service container <paramref name="container"/>: its address on the network (null
    /// when it has none: it has already exited), or 127.0.0.1 on the host network.
    /// </summary>
    public IPAddress? AddressOf(ContainerInspectResponse container)
    {
        ArgumentNullException.ThrowIfNull(container);
        if (_name is null) return IPAddress.Loopback;
        var networks = container.NetworkSettings?.Networks;
        return networks is not null && networks.TryGetValue(_name, out var endpoint) && IPAddress.TryParse(endpoint.IPAddress, out var address) ? address : null;
    }

    /// <summary>Removes the network (its containers must be removed first); one warning naming it when the daemon refuses.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_name is not { } name) return;
        _name = null;
        try
        {
            await _client.Networks.DeleteNetworkAsync(name, CancellationToken.None).ConfigureAwait(false);
        }
        catch (DockerNetworkNotFoundException)
        {
        }
        catch (DockerApiException ex)
        {
            _trace.Warning($"the job's network {name} could not be removed ({Reason(ex)}); remove it with `docker network rm {name}`");
        }
    }

    /// <summary>The daemon's reason on one line: the <c>message</c> of its JSON answer, else the exception's text.</summary>
    private static string Reason(DockerApiException ex)
    {
        try
        {
            using var answer = JsonDocument.Parse(ex.ResponseBody ?? "");
            if (answer.RootElement.ValueKind == JsonValueKind.Object && answer.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String && message.GetString() is { Length: > 0 } text)
                return text;
        }
        catch (JsonException)
        {
        }

        return string.Join(' ', ex.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
