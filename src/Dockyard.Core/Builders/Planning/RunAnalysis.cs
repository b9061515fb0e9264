using Dockyard.Dockerfiles.Evaluation;
using Dockyard.Dockerfiles.Expansion;
using Dockyard.Dockerfiles.Model;

namespace Dockyard.Builders.Planning;

/// <summary>What a RUN line does, as far as the planner is concerned.</summary>
internal enum RunKind
{
    /// <summary><c>dotnet publish|build -o DIR</c> (possibly after <c>cd</c> or <c>dotnet restore</c>): a publish directory can stand for it.</summary>
    DotnetOutput,

    /// <summary>Only <c>dotnet restore/build/test</c> without an output directory: redundant when a publish directory replaces the stage.</summary>
    DotnetPreparation,

    /// <summary>Anything else: it needs a container.</summary>
    Other,
}

/// <summary>The classification of one RUN line.</summary>
/// <param name="Kind">What it does.</param>
/// <param name="Command">The <c>dotnet publish/build -o</c> command, for <see cref="RunKind.DotnetOutput"/>.</param>
/// <param name="OutputPath">The absolute output directory inside the stage, for <see cref="RunKind.DotnetOutput"/>.</param>
/// <param name="WorkingDirectory">The directory the dotnet command runs in (WORKDIR, changed by <c>cd</c>).</param>
internal sealed record RunAnalysis(RunKind Kind, DotnetCommand? Command, string? OutputPath, string WorkingDirectory)
{
    private static readonly string[] PreparationVerbs = ["restore", "build", "test"];

    /// <summary>Classifies a RUN step; the shell form is split on <c>&amp;&amp;</c>, <c>;</c> and newlines and expanded with the step's ARG/ENV.</summary>
    public static RunAnalysis Analyze(ResolvedStep step, RunInstruction run, char escape)
    {
        var other = new RunAnalysis(RunKind.Other, null, null, step.Workdir);
        if (run.Heredocs.Count > 0) return other;
        IEnumerable<IReadOnlyList<string>> commands;
        if (run.Command.IsExecForm) commands = [run.Command.Arguments];
        else
        {
            var text = run.Command.Arguments[0];
            if (text.IndexOfAny(['|', '>', '<', '`', '(', ')', '*', '?']) >= 0) return other;
            var expander = new WordExpander(step.Lookup, escape, run.Location);
            try
            {
                commands = text.Replace("&&", "\n", StringComparison.Ordinal).Replace(";", "\n", StringComparison.Ordinal).Split('\n')
                    .Select(segment => expander.ExpandWords(segment)).Where(words => words.Count > 0).ToList();
            }
            catch (Dockyard.Diagnostics.SourceException)
            {
                return other;
            }
        }
        var directory = step.Workdir;
        RunAnalysis? result = null;
        var preparation = false;
        foreach (var words in commands)
        {
            if (words[0] == "cd" && words.Count == 2)
            {
                directory = ContainerPath.Combine(directory, words[1]);
                continue;
            }
            var command = DotnetCommandParser.TryParse(words);
            if (command is null) return other;
            if (command.ProducesOutputDirectory)
            {
                if (result is not null) return other;
                result = new RunAnalysis(RunKind.DotnetOutput, command, ContainerPath.Combine(directory, command.Output!), directory);
            }
            else if (PreparationVerbs.Contains(command.Verb) || command.Verb == "publish") preparation = true;
            else return other;
        }
        return result ?? (preparation ? new RunAnalysis(RunKind.DotnetPreparation, null, null, directory) : other);
    }
}
