using System.CommandLine;
using Dockyard.Hosting;
using Dockyard.Jobs.Variables;

namespace Dockyard.Cli.Commands;

/// <summary>The options <c>ci run</c> and <c>ci plan</c> share: which pipeline, and the variables from outside it.</summary>
internal sealed class JobCommandOptions
{
    public Option<string> File { get; } = new("--file") { Description = "The pipeline file, relative to --cwd.", DefaultValueFactory = _ => ".gitlab-ci.yml" };

    public Option<string> Cwd { get; } = new("--cwd") { Description = "The project directory.", DefaultValueFactory = _ => "." };

    public Option<string[]> Variable { get; } = new("--variable") { Description = "A pipeline variable K=V (repeatable); overrides every other variable." };

    public Option<string?> VariablesFile { get; } = new("--variables-file") { Description = "A YAML file of NAME: value or NAME: {value, masked, file, expand} (project variables)." };

    public Option<string?> IncludeCache { get; } = new("--include-cache") { Description = "A directory with project/remote/template/component includes (see docs/pipelines.md)." };

    public Option<string?> GitLabUrl { get; } = CiCommand.GitLabUrlOption();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { File, Cwd, Variable, VariablesFile, IncludeCache, GitLabUrl }) command.Options.Add(option);
    }

    /// <summary>The project variables of <c>--variables-file</c>, then the pipeline variables of <c>--variable</c>.</summary>
    public List<JobVariable> Variables(ParseResult parse, HostContext host)
    {
        var variables = new List<JobVariable>();
        if (parse.GetValue(VariablesFile) is { } path) variables.AddRange(VariablesFileReader.Read(host.FullPath(path)));
        foreach (var (name, value) in CiCommand.ParseVariables(parse.GetValue(Variable) ?? []))
            variables.Add(new JobVariable(name, value) { IsPipelineVariable = true });
        return variables;
    }
}
