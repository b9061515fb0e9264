using Dockyard.Builders.Planning;

namespace Dockyard.Builders;

/// <summary>Whether the native builder can build the target, and if not, which lines force a container backend.</summary>
/// <param name="IsAllowed">Whether every stage the target needs can be built natively.</param>
/// <param name="Reasons">Why not (e.g. <c>Dockerfile:7: RUN apk add curl needs a container</c>); empty when allowed.</param>
public sealed record NativeEligibility(bool IsAllowed, IReadOnlyList<string> Reasons)
{
    /// <summary>Native is allowed.</summary>
    public static NativeEligibility Allowed { get; } = new(true, []);

    /// <summary>Native is not allowed for these reasons.</summary>
    public static NativeEligibility Blocked(params string[] reasons) => new(false, reasons);

    /// <summary>What a build plan says.</summary>
    public static NativeEligibility From(BuildPlan plan) => new(plan.IsNative, plan.ContainerReasons);
}
