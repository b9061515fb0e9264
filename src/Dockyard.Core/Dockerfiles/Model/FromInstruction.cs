using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Dockerfiles.Model;

/// <summary><c>FROM [--platform=P] image [AS name]</c>.</summary>
/// <param name="Location">Where the keyword is.</param>
/// <param name="Text">The logical line.</param>
/// <param name="Image">The base: an image reference, a previous stage's name, or <c>scratch</c>.</param>
/// <param name="StageName">The lower-cased name after <c>AS</c>, if any.</param>
/// <param name="Platform">The <c>--platform</c> flag value, if any.</param>
public sealed record FromInstruction(SourceLocation Location, string Text, string Image, string? StageName, string? Platform)
    : Instruction(Location, "FROM", Text)
{
    /// <inheritdoc />
    public override Instruction Expand(WordExpander expander) =>
        this with { Image = expander.Expand(Image), Platform = Platform is null ? null : expander.Expand(Platform) };
}
