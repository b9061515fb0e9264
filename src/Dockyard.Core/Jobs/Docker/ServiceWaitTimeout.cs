using System.Globalization;
using Dockyard.Diagnostics;

namespace Dockyard.Jobs.Docker;

/// <summary>
/// How long the docker executor waits for each service's ports: the runner's <c>wait_for_services_timeout</c>, here
/// <c>DOCKER_WAIT_FOR_SERVICES_TIMEOUT</c> of the host environment (the variable <c>gitlab-runner exec docker</c> read
/// it from), in seconds: absent or 0 is the runner's default of 30, a negative number turns the wait off.
/// </summary>
internal static class ServiceWaitTimeout
{
    /// <summary>The environment variable.</summary>
    public const string Variable = "DOCKER_WAIT_FOR_SERVICES_TIMEOUT";

    /// <summary>The runner's default (<c>common.DefaultWaitForServicesTimeout</c>).</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    /// <summary>The timeout set in <paramref name="environment"/>, or null when services are not waited for.</summary>
    public static TimeSpan? Read(IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.TryGetValue(Variable, out var text) || text.Trim().Length == 0) return Default;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            throw new DockyardException($"{Variable} '{text}' is not a number of seconds. Set it to the seconds to wait for services (0: the default of 30, -1: no wait).") { Subject = Variable };
        return seconds switch
        {
            0 => Default,
            < 0 => null,
            _ => TimeSpan.FromSeconds(seconds),
        };
    }
}
