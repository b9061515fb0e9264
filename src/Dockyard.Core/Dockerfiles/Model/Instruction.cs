using Dockyard.Diagnostics;
using Dockyard.Dockerfiles.Expansion;

namespace Dockyard.Dockerfiles.Model;

/// <summary>One Dockerfile instruction as written (variables not yet expanded), with where it is.</summary>
/// <param name="Location">File, line and column of the instruction keyword.</param>
/// <param name="Keyword">The instruction keyword in upper case, e.g. <c>COPY</c>.</param>
/// <param name="Text">The whole logical line (continuations joined), for messages and plans.</param>
public abstract record Instruction(SourceLocation Location, string Keyword, string Text)
{
    /// <summary>
    /// Returns a copy with variables expanded in exactly the parts docker expands for this instruction
    /// (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER and ONBUILD are returned unchanged).
    /// </summary>
    public virtual Instruction Expand(WordExpander expander) => this;

    /// <summary>The logical line on one line (runs of whitespace, e.g. from continuations, collapsed).</summary>
    public string OneLineText => string.Join(' ', Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary><see cref="OneLineText"/> shortened to 72 characters for one-line messages.</summary>
    public string ShortText => OneLineText.Length <= 72 ? OneLineText : OneLineText[..69] + "...";
}
