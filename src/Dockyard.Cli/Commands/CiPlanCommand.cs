using System.CommandLine;
using Dockyard.Cli.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Planning;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard ci plan JOB</c>: what each script line of a job becomes, without running it (docs/jobs.md).</summary>
public static class CiPlanCommand
{
    /// <summary>Creates the <c>ci plan</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var job = new Argument<string>("JOB") { Description = "The job to plan." };
        var shared = new JobCommandOptions();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON." };
        var command = new Command("plan", "Show what each script line of a job becomes (native image operation, credential, real tool, shell), and the variables and credentials it needs (names, never values); runs nothing.")
        {
            job, json,
        };
        shared.AddTo(command);
        var trigger = new PipelineTriggerOptions();
        trigger.AddTo(command);
        command.SetAction((parse, cancellationToken) => cli.RunAsync(async () =>
        {
            var host = cli.Host();
            var variables = shared.Variables(parse, host);
            foreach (var masked in variables.Where(v => v.Masked)) host.Masker.Add(masked.Value);
            var plan = await JobPlanner.PlanAsync(host, new JobRunOptions
            {
                ProjectDirectory = parse.GetValue(shared.Cwd) ?? ".",
                File = parse.GetValue(shared.File) ?? ".gitlab-ci.yml",
                IncludeCacheDirectory = parse.GetValue(shared.IncludeCache),
                Trigger = trigger.Read(parse),
                GitLabUrl = parse.GetValue(shared.GitLabUrl),
                Variables = variables,
            }, parse.GetValue(job)!, cancellationToken);
            cli.Stdout.Write(host.Masker.Mask(parse.GetValue(json) ? JobPlanWriter.JsonText(plan) + "\n" : JobPlanWriter.Text(plan)));
            return 0;
        }));
        return command;
    }
}
