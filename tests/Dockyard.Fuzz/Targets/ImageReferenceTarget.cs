using System.Text;
using Dockyard.Registries.References;

namespace Dockyard.Fuzz.Targets;

/// <summary>
/// Image reference parsing and normalisation (<c>[registry/]repository[:tag][@digest]</c>); an accepted reference's
/// canonical text must parse again to the same reference.
/// </summary>
public sealed class ImageReferenceTarget : IFuzzTarget
{
    /// <inheritdoc />
    public string Name => "image-reference";

    /// <inheritdoc />
    public void Run(byte[] input)
    {
        var reference = ImageReference.Parse(Encoding.UTF8.GetString(input));
        var canonical = reference.ToString();
        var again = ImageReference.Parse(canonical);
        if (again != reference)
            throw new InvalidOperationException($"the canonical form '{canonical}' parses to a different reference '{again}'");
        _ = reference.ApiHost;
    }
}
