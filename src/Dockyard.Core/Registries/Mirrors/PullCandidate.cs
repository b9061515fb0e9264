using Dockyard.Registries.References;

namespace Dockyard.Registries.Mirrors;

/// <summary>One place a reference may be pulled from: a mirror or the rule's location, with the rewritten reference.</summary>
/// <param name="Reference">The reference to pull there.</param>
/// <param name="IsMirror">Whether it is a mirror (otherwise the rule's location, or the reference itself without a rule).</param>
/// <param name="Insecure">Whether plain HTTP and unverified TLS are allowed there.</param>
public sealed record PullCandidate(ImageReference Reference, bool IsMirror, bool Insecure);
