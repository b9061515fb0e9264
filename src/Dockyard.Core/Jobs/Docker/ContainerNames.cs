using System.Text;

namespace Dockyard.Jobs.Docker;

/// <summary>Names and labels of the containers and networks the docker executor creates (so they can be found and removed).</summary>
internal static class ContainerNames
{
    /// <summary>The label every container and network of the docker executor carries (value: <c>step</c>, <c>service</c> or <c>network</c>).</summary>
    public const string Label = "dev.dockyard.executor";

    /// <summary>The label with the job's name.</summary>
    public const string JobLabel = "dev.dockyard.job";

    /// <summary>A new, unique name for the network of one attempt of job <paramref name="jobName"/>: <c>dockyard-net-JOB-GUID</c>.</summary>
    public static string Network(string jobName) => $"dockyard-net-{Safe(jobName)}-{Guid.NewGuid():N}";

    /// <summary><paramref name="text"/> with only the characters a container name may hold.</summary>
    public static string Safe(string text)
    {
        var safe = new StringBuilder();
        foreach (var c in text) safe.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        return safe.Length > 20 ? safe.ToString(0, 20) : safe.ToString();
    }
}
