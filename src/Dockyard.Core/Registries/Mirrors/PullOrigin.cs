using Dockyard.Registries.References;

namespace Dockyard.Registries.Mirrors;

/// <summary>Where a pull really went: the reference asked for, the one served, and the registries.conf rule that decided it.</summary>
/// <param name="Requested">The reference as written.</param>
/// <param name="Source">The reference that served the manifest; every further manifest and blob of the pull comes from it.</param>
/// <param name="Rule">The registries.conf rule that matched, or <c>null</c>.</param>
/// <param name="IsMirror">Whether <see cref="Source"/> is one of the rule's mirrors.</param>
/// <param name="Skipped">Candidates tried before <see cref="Source"/> and why each was passed over.</param>
public sealed record PullOrigin(ImageReference Requested, ImageReference Source, RegistryRule? Rule, bool IsMirror, IReadOnlyList<string> Skipped)
{
    /// <summary>Whether the pull went somewhere else than the reference names.</summary>
    public bool IsRedirected => Source != Requested;

    /// <summary>One line for logs and plans, e.g. <c>pulled mcr.microsoft.com/x:1 from 127.0.0.1:5000/mcr/x:1 (registries.conf /etc/containers/registries.conf, mirror)</c>.</summary>
    public override string ToString()
    {
        if (Rule is null) return $"pulled {Requested}";
        var skipped = Skipped.Count == 0 ? "" : $"; skipped {string.Join("; ", Skipped)}";
        return $"pulled {Requested} from {Source} (registries.conf {Rule.File}, prefix '{Rule.Prefix}'{(IsMirror ? ", mirror" : "")}{skipped})";
    }
}
