using Dockyard.Diagnostics;
using Dockyard.Registries.References;

namespace Dockyard.Registries.Mirrors;

/// <summary>
/// Fetches the top manifest of a pull from the first candidate of <see cref="RegistriesConf.PlanPull"/> that has it,
/// as containers/image does: a mirror that fails (unreachable, refused, 404) is passed over, the location is tried
/// last, and when every candidate failed the error lists each.
/// </summary>
internal sealed class PullSourceSelector(RegistryClient client, RegistriesConf configuration)
{
    public async Task<PulledManifest> GetAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        var (rule, candidates) = configuration.PlanPull(reference);
        if (rule is null)
            return new PulledManifest(await client.GetManifestAsync(reference, cancellationToken), new PullOrigin(reference, reference, null, false, []));

        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            var what = $"{(candidate.IsMirror ? "mirror" : "location")} {candidate.Reference}";
            try
            {
                if (await client.TryGetManifestAsync(candidate.Reference, cancellationToken) is { } manifest)
                    return new PulledManifest(manifest, new PullOrigin(reference, candidate.Reference, rule, candidate.IsMirror, failures.ToArray()));
                failures.Add($"{what}: not found");
            }
            catch (DockyardException e)
            {
                failures.Add($"{what}: {e.Message}");
            }
        }
        throw new DockyardException(
            $"Image {reference} could not be pulled from any source registries.conf {rule.File} ([[registry]] prefix '{rule.Prefix}') gives: {string.Join("; ", failures)}. Check the mirrors and the location, or the repository name and tag.");
    }
}
