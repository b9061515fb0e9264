using Dockyard.Diagnostics;
using Dockyard.Jobs.Artifacts;
using Dockyard.Pipelines.Yaml;

namespace Dockyard.Jobs.Scheduling;

/// <summary>
/// A job's <c>retry:</c> as GitLab applies it: up to <c>max</c> (0–2) more attempts when the failure reason is in
/// <c>when</c> (default <c>always</c>, or nothing when <c>exit_codes</c> is given) or the exit code is in
/// <c>exit_codes</c>.
/// </summary>
public sealed record RetryPolicy(int Max, IReadOnlyList<string> When, IReadOnlyList<int> ExitCodes)
{
    private static readonly string[] Reasons =
    [
        "always", "unknown_failure", "script_failure", "api_failure", "stuck_or_timeout_failure", "runner_system_failure",
        "runner_unsupported", "stale_schedule", "job_execution_timeout", "archived_failure", "unmet_prerequisites",
        "scheduler_failure", "data_integrity_failure",
    ];

    /// <summary>No retries.</summary>
    public static readonly RetryPolicy None = new(0, [], []);

    /// <summary>Whether a failed attempt (<paramref name="attempt"/> 1-based) with <paramref name="reason"/> and <paramref name="exitCode"/> is retried.</summary>
    public bool ShouldRetry(int attempt, string reason, int? exitCode) =>
        attempt <= Max && (When.Contains("always") || When.Contains(reason) || (exitCode is { } code && ExitCodes.Contains(code)));

    /// <summary>Reads <c>retry</c> (a number or a hash; null: none).</summary>
    public static RetryPolicy Read(YamlNode? node)
    {
        switch (node)
        {
            case null or YamlScalar { IsNull: true }:
                return None;
            case YamlScalar { AsInteger: { } max }:
                return new RetryPolicy(CheckMax(max, node), ["always"], []);
            case YamlMapping hash:
                var maxNode = hash["max"];
                var maxValue = maxNode is null ? 0 : (maxNode as YamlScalar)?.AsInteger ?? throw new SourceException(maxNode.Location, "retry:max must be 0, 1 or 2", "write max: 2");
                var exitCodes = YamlValues.Integers(hash["exit_codes"]);
                var when = hash["when"] is { } w ? YamlValues.Strings(w) : hash["exit_codes"] is null ? ["always"] : [];
                foreach (var reason in when)
                    if (!Reasons.Contains(reason))
                        throw new SourceException(hash["when"]!.Location, $"retry:when '{reason}' is unknown{Suggestions.DidYouMean(reason, Reasons)}", $"use one of {string.Join(", ", Reasons)}");
                return new RetryPolicy(CheckMax(maxValue, maxNode ?? hash), when, exitCodes);
            default:
                throw new SourceException(node.Location, $"retry is {node.KindName}", "write retry: 2 or a hash with max, when, exit_codes");
        }
    }

    private static int CheckMax(long max, YamlNode at) =>
        max is >= 0 and <= 2 ? (int)max : throw new SourceException(at.Location, $"retry:max is {max}; GitLab allows 0, 1 or 2", "write max: 2");
}
