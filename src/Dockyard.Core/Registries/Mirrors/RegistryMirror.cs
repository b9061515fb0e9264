namespace Dockyard.Registries.Mirrors;

/// <summary>One <c>[[registry.mirror]]</c> entry.</summary>
/// <param name="Location">Where the mirror is (<c>host[:port][/namespace]</c>); the part of a reference after the prefix is appended.</param>
/// <param name="Insecure">Whether plain HTTP and unverified TLS are allowed for it.</param>
/// <param name="PullFrom">Which references it serves.</param>
public sealed record RegistryMirror(string Location, bool Insecure, MirrorPullPolicy PullFrom);
