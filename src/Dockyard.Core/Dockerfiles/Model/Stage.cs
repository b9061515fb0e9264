namespace Dockyard.Dockerfiles.Model;

/// <summary>One build stage: a FROM line and the instructions up to the next FROM.</summary>
/// <param name="Index">0-based position among the stages.</param>
/// <param name="From">The FROM instruction.</param>
/// <param name="Instructions">The instructions after FROM, in order.</param>
public sealed record Stage(int Index, FromInstruction From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The stage name (lower case), or null when the stage has no <c>AS name</c>.</summary>
    public string? Name => From.StageName;

    /// <summary>The name, or the index when unnamed: how docker refers to the stage.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
