using Dockyard.Dockerfiles.Evaluation;

namespace Dockyard.Builders.Planning;

/// <summary>How a <c>RUN dotnet publish|build -o DIR</c> line maps to a caller-supplied publish directory.</summary>
/// <param name="Step">The RUN step.</param>
/// <param name="Command">The parsed dotnet command.</param>
/// <param name="OutputPath">The absolute output directory inside the stage.</param>
/// <param name="Output">The publish directory chosen for it, or null when none was supplied.</param>
/// <param name="Matches">What was checked and agrees (project, configuration, ...).</param>
/// <param name="Mismatches">What disagrees, each with what to do; empty when the mapping holds.</param>
/// <param name="Notes">What could not be checked and is assumed.</param>
public sealed record PublishMapping(ResolvedStep Step, DotnetCommand Command, string OutputPath, PublishedOutput? Output,
    IReadOnlyList<string> Matches, IReadOnlyList<string> Mismatches, IReadOnlyList<string> Notes)
{
    /// <summary>True when a publish directory was supplied and nothing disagrees.</summary>
    public bool IsMapped => Output is not null && Mismatches.Count == 0;

    /// <summary>One sentence saying what is mapped to what, or why not.</summary>
    public string Explanation
    {
        get
        {
            // The line as written: its expansion could contain build-argument values.
            var line = $"{Step.Instruction.Location}: {Step.Instruction.OneLineText}";
            if (Output is null)
                return $"{line} needs a container: no publish directory was supplied for it (give the output directory of dotnet publish of the same project as the publish directory).";
            if (Mismatches.Count > 0)
                return $"{line} cannot take its output from '{Output.Directory}': {string.Join("; ", Mismatches)}.";
            var checks = Matches.Count > 0 ? $" ({string.Join(", ", Matches)})" : "";
            var notes = Notes.Count > 0 ? $"; {string.Join("; ", Notes)}" : "";
            return Output.SdkVersion is { } sdk
                ? $"{line} -> {OutputPath} is published by this machine's .NET SDK {sdk} (dotnet publish from the context as this stage's COPY lines lay it out, into a private directory; " +
                  $"its dotnet restore/build lines are covered by it){checks}{notes}."
                : $"{line} -> {OutputPath} is taken from '{Output.Directory}'{checks}{notes}.";
        }
    }
}
