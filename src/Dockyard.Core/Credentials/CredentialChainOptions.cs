using System.Globalization;
using Dockyard.Credentials.Masking;
using Dockyard.Diagnostics;

namespace Dockyard.Credentials;

/// <summary>How a <see cref="CredentialChain"/> looks for credentials.</summary>
public sealed class CredentialChainOptions
{
    /// <summary>The default time a credential helper may take before it is stopped.</summary>
    public static readonly TimeSpan DefaultHelperTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Credentials given to the front; the first one for the registry (or for every registry) wins.</summary>
    public IList<ExplicitCredential> Explicit { get; init; } = new List<ExplicitCredential>();

    /// <summary>Steps of the chain that are turned off.</summary>
    public ISet<CredentialSourceKind> Disabled { get; init; } = new HashSet<CredentialSourceKind>();

    /// <summary>
    /// The registry the output image goes to. When pulling from it, the SDK's generic
    /// <c>DOTNET_CONTAINER_REGISTRY_*</c> variables apply too (the SDK's "pull from output registry" mode).
    /// </summary>
    public string? OutputRegistry { get; init; }

    /// <summary>The longest helper timeout accepted: one day.</summary>
    public static readonly TimeSpan MaxHelperTimeout = TimeSpan.FromDays(1);

    /// <summary>How long a credential helper may run before it is stopped (with its child processes) and reported.</summary>
    public TimeSpan HelperTimeout { get; init; } = DefaultHelperTimeout;

    /// <summary>A helper timeout from a number of seconds as a user typed it (<c>--helper-timeout</c>).</summary>
    /// <exception cref="DockyardException">The number is not a positive number of seconds up to a day.</exception>
    public static TimeSpan HelperTimeoutFromSeconds(double seconds, string option = "--helper-timeout")
    {
        if (double.IsNaN(seconds) || seconds <= 0 || seconds > MaxHelperTimeout.TotalSeconds)
        {
            throw new DockyardException(
                $"{option} {seconds.ToString(CultureInfo.InvariantCulture)}: give a number of seconds greater than 0 and at most " +
                $"{MaxHelperTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} (default {DefaultHelperTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}).");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Returns <paramref name="timeout"/> when it is a usable helper timeout.</summary>
    /// <exception cref="DockyardException">It is zero, negative or longer than <see cref="MaxHelperTimeout"/>.</exception>
    internal static TimeSpan CheckHelperTimeout(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero || timeout > MaxHelperTimeout)
        {
            throw new DockyardException(
                $"Credential helper timeout {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: it must be greater than 0 and at most one day " +
                $"(default {DefaultHelperTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s).");
        }

        return timeout;
    }

    /// <summary>When set, every secret the chain hands out is registered here so fronts can mask their output.</summary>
    public SecretMasker? Masker { get; init; }

    /// <summary>Whether a step is turned on.</summary>
    public bool IsEnabled(CredentialSourceKind kind) => !Disabled.Contains(kind);
}
