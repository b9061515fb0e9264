namespace Dockyard.Builders.Planning;

/// <summary>A <c>dotnet</c> command line as a Dockerfile RUN writes it, with the options that decide what it produces.</summary>
/// <param name="Verb">publish, build, restore, test, ...</param>
/// <param name="Project">The project, solution or directory argument, if any.</param>
/// <param name="Configuration"><c>-c|--configuration</c>, if given.</param>
/// <param name="Output"><c>-o|--output</c>, if given.</param>
/// <param name="Runtime"><c>-r|--runtime</c>, if given.</param>
/// <param name="SelfContained"><c>--self-contained [true|false]</c>, <c>--sc</c> or <c>--no-self-contained</c>, if given.</param>
/// <param name="Framework"><c>-f|--framework</c>, if given.</param>
/// <param name="Properties"><c>-p:</c>, <c>/p:</c>, <c>--property:</c> and <c>-p NAME=VALUE</c> properties.</param>
/// <param name="Words">The command's words after expansion.</param>
public sealed record DotnetCommand(string Verb, string? Project, string? Configuration, string? Output, string? Runtime, bool? SelfContained,
    string? Framework, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> Words)
{
    /// <summary>The configuration in effect: the given one, else Release for publish (.NET 8+) and Debug otherwise.</summary>
    public string EffectiveConfiguration => Configuration ?? (Verb == "publish" ? "Release" : "Debug");

    /// <summary>True for <c>dotnet publish -o DIR</c> and <c>dotnet build -o DIR</c>: commands whose output a publish directory can stand for.</summary>
    public bool ProducesOutputDirectory => Verb is "publish" or "build" && Output is not null;

    /// <summary>The command as one line.</summary>
    public override string ToString() => string.Join(' ', Words.Select(w => w.Contains(' ', StringComparison.Ordinal) ? $"\"{w}\"" : w));
}
