namespace Dockyard.Registries.Transport;

/// <summary>A registry answer worth retrying (5xx, 429, or a request timeout), with the delay the registry asked for.</summary>
internal sealed class TransientRegistryException(string message, TimeSpan? retryAfter = null) : Exception(message)
{
    /// <summary>The delay from a <c>Retry-After</c> header, if any.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
