using System.CommandLine;
using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Output;
using Dockyard.UseCases;
using Microsoft.Extensions.Logging.Abstractions;
using Dockyard.Cli.Hosting;

namespace Dockyard.Cli.Commands;

/// <summary>The <c>dockyard ci</c> command group: list, preview and lint a GitLab CI pipeline.</summary>
public static class CiCommand
{
    /// <summary>The exit code of <c>ci list</c> and <c>ci run --pipeline</c> when GitLab would create no pipeline (1 is an error).</summary>
    public const int NoPipelineExitCode = Jobs.Scheduling.RunResult.NoPipelineExitCode;

    /// <summary>Creates the <c>ci</c> command with its subcommands.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(new CliContext(stdout, stderr, interactive: false));

    /// <summary>Creates the <c>ci</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var (stdout, stderr) = (cli.Stdout, cli.Stderr);
        var ci = new Command("ci", "Read a .gitlab-ci.yml exactly as GitLab does: list jobs, preview the resolved YAML, lint.");

        var json = new Option<bool>("--json") { Description = "Print the jobs as JSON (gitlab-ci-local --list-json field names)." };
        var all = new Option<bool>("--all") { Description = "Also list the child pipelines that trigger jobs start (trigger:include), nested ones too." };
        var list = Subcommand("list", "List the jobs with stage, when, allow_failure and needs (jobs excluded by rules show when: never).",
            cli, (resolved, parse) =>
            {
                var pipeline = resolved.Pipeline;
                stdout.Write((parse.GetValue(json), parse.GetValue(all)) switch
                {
                    (true, true) => ListJsonWriter.Write(pipeline, resolved.Downstream) + "\n",
                    (true, false) => ListJsonWriter.Write(pipeline) + "\n",
                    (false, true) => JobTableWriter.Write(pipeline, resolved.Downstream),
                    _ => JobTableWriter.Write(pipeline),
                });
                return pipeline.NoPipelineReason is null ? 0 : NoPipelineExitCode;
            }, all, json, all);
        var preview = Subcommand("preview", "Print the fully resolved YAML (includes, extends, !reference, defaults and anchors expanded).",
            cli, (resolved, _) =>
            {
                stdout.Write(PreviewWriter.Write(resolved.Pipeline));
                return 0;
            });
        var lint = Subcommand("lint", "Check the pipeline: print every warning, and the error if any; exit 1 on an error.",
            cli, (resolved, _) =>
            {
                var pipeline = resolved.Pipeline;
                foreach (var warning in pipeline.Warnings) stderr.WriteLine(warning);
                stdout.WriteLine($"{pipeline.Files[0]}: valid ({pipeline.Jobs.Count} jobs, {pipeline.Files.Count} files, {pipeline.Warnings.Count} warnings)");
                return 0;
            });
        ci.Subcommands.Add(list);
        ci.Subcommands.Add(preview);
        ci.Subcommands.Add(lint);
        ci.Subcommands.Add(CiRunCommand.Create(cli));
        ci.Subcommands.Add(CiPlanCommand.Create(cli));
        return ci;
    }

    private static Command Subcommand(string name, string description, CliContext cli,
        Func<PipelineResult, ParseResult, int> run, Option<bool>? downstream = null, params Option[] extra)
    {
        var file = new Option<string>("--file") { Description = "The pipeline file, relative to --cwd.", DefaultValueFactory = _ => ".gitlab-ci.yml" };
        var cwd = new Option<string>("--cwd") { Description = "The project directory.", DefaultValueFactory = _ => "." };
        var variable = new Option<string[]>("--variable") { Description = "A pipeline variable K=V (repeatable); overrides every other variable.", AllowMultipleArgumentsPerToken = false };
        var cache = new Option<string?>("--include-cache") { Description = "A directory with project/remote/template/component includes (see docs/pipelines.md)." };
        var trigger = new PipelineTriggerOptions();
        var gitLabUrl = GitLabUrlOption();
        var command = new Command(name, description) { file, cwd, variable, cache, gitLabUrl };
        trigger.AddTo(command);
        foreach (var option in extra) command.Options.Add(option);
        command.SetAction((parse, cancellationToken) => cli.RunAsync(async () =>
        {
            var request = new PipelineRequest
            {
                ProjectDirectory = parse.GetValue(cwd) ?? ".",
                File = parse.GetValue(file) ?? ".gitlab-ci.yml",
                Variables = ParseVariables(parse.GetValue(variable) ?? []),
                IncludeCacheDirectory = parse.GetValue(cache),
                Downstream = downstream is not null && parse.GetValue(downstream),
                Trigger = trigger.Read(parse),
                GitLabUrl = parse.GetValue(gitLabUrl),
            };
            // Warnings are printed by lint alone (list and preview print only their result); where includes came from always goes to stderr.
            var resolved = await PipelineResolution.RunAsync(cli.Host().WithOutput(NullLogger.Instance, null), request, cancellationToken);
            foreach (var origin in resolved.Pipeline.IncludeOrigins) cli.Stderr.WriteLine(cli.Masker.Mask(origin.ToString()));
            return run(resolved, parse);
        }));
        return command;
    }

    /// <summary>The <c>--gitlab-url</c> option of the commands that read a pipeline.</summary>
    internal static Option<string?> GitLabUrlOption() => new("--gitlab-url")
    {
        Description = "The GitLab instance template/project/component includes are fetched from (default: CI_SERVER_URL); token from DOCKYARD_GITLAB_TOKEN, CI_JOB_TOKEN or GITLAB_TOKEN.",
    };

    internal static Dictionary<string, string> ParseVariables(string[] pairs)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0)
                throw new DockyardException($"--variable '{pair}': expected NAME=VALUE. Write --variable CI_COMMIT_BRANCH=main.");
            variables[pair[..eq]] = pair[(eq + 1)..];
        }
        return variables;
    }
}
