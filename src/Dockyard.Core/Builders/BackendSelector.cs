using System.Text;
using Dockyard.Diagnostics;

namespace Dockyard.Builders;

/// <summary>
/// Chooses the backend: <c>auto</c> = native when the plan allows it, else docker when a daemon
/// answers, else buildah when installed, else an error listing what is missing and how to get it. An explicit choice
/// is checked and fails with the same explanation when it cannot build.
/// </summary>
public sealed class BackendSelector(IImageBuildBackend native, IImageBuildBackend docker, IImageBuildBackend buildah)
{
    /// <summary>Picks the backend for <paramref name="requested"/> given what the native builder can do.</summary>
    /// <exception cref="DockyardException">The requested backend (or, for auto, every backend) cannot build the target.</exception>
    public async Task<BackendSelection> SelectAsync(BackendKind requested, NativeEligibility eligibility, CancellationToken cancellationToken = default)
    {
        switch (requested)
        {
            case BackendKind.Native:
                if (eligibility.IsAllowed) return new BackendSelection(BackendKind.Native, native, "backend native: every stage the target needs is built natively");
                throw new DockyardException($"The native backend cannot build this target:\n{Bullets(eligibility.Reasons)}\nChoose the auto, docker or buildah backend for stages that RUN commands.")
                    { Setting = Setting.Backend };
            case BackendKind.Docker:
            case BackendKind.Buildah:
                var backend = requested == BackendKind.Docker ? docker : buildah;
                var availability = await backend.ProbeAsync(cancellationToken);
                if (availability.IsAvailable) return new BackendSelection(requested, backend, $"backend {Name(requested)}: {availability.Detail}");
                throw new DockyardException($"The {Name(requested)} backend cannot build here: {availability.Detail}\nTo fix: {availability.Remedy}.") { Setting = Setting.Backend };
            case BackendKind.Auto:
                return await SelectAutomaticallyAsync(eligibility, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "unknown backend");
        }
    }

    private async Task<BackendSelection> SelectAutomaticallyAsync(NativeEligibility eligibility, CancellationToken cancellationToken)
    {
        if (eligibility.IsAllowed) return new BackendSelection(BackendKind.Native, native, "auto: every stage the target needs can be built natively");
        var why = eligibility.Reasons.Count == 0 ? "the native builder cannot build this target"
            : eligibility.Reasons[0] + (eligibility.Reasons.Count > 1 ? $" (and {eligibility.Reasons.Count - 1} more)" : "");

        var dockerAvailability = await docker.ProbeAsync(cancellationToken);
        if (dockerAvailability.IsAvailable) return new BackendSelection(BackendKind.Docker, docker, $"auto: {why}; {dockerAvailability.Detail}");

        var buildahAvailability = await buildah.ProbeAsync(cancellationToken);
        if (buildahAvailability.IsAvailable)
            return new BackendSelection(BackendKind.Buildah, buildah, $"auto: {why}; no Docker daemon ({dockerAvailability.Detail}); {buildahAvailability.Detail}");

        var message = new StringBuilder("No backend can build this target:\n")
            .Append("- native: ").AppendLine(string.Join("; ", eligibility.Reasons.DefaultIfEmpty("not possible for this target")))
            .Append("- docker: ").Append(dockerAvailability.Detail).Append(" → ").AppendLine(dockerAvailability.Remedy)
            .Append("- buildah: ").Append(buildahAvailability.Detail).Append(" → ").Append(buildahAvailability.Remedy);
        throw new DockyardException(message.ToString()) { Setting = Setting.Backend };
    }

    private static string Bullets(IReadOnlyList<string> reasons) =>
        string.Join('\n', reasons.DefaultIfEmpty("the plan needs a container").Select(r => "- " + r));

    private static string Name(BackendKind kind) => kind.ToString().ToLowerInvariant();
}
