using System.CommandLine;
using System.Runtime.InteropServices;
using Dockyard.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Reports;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;

using Dockyard.Cli.Hosting;

namespace Dockyard.Cli.Commands;

/// <summary><c>dockyard ci run</c>: runs jobs, a stage or the whole pipeline as GitLab Runner would (docs/jobs.md).</summary>
public static class CiRunCommand
{
    /// <summary>Creates the <c>run</c> subcommand of <c>ci</c>.</summary>
    public static Command Create(TextWriter stdout, TextWriter stderr) => Create(new CliContext(stdout, stderr, interactive: false));

    /// <summary>Creates the <c>ci run</c> command of the run <paramref name="cli"/>.</summary>
    public static Command Create(CliContext cli)
    {
        var stderr = cli.Stderr;
        var jobs = new Argument<string[]>("JOB") { Description = "Jobs to run (a parallel job's name runs every instance).", Arity = ArgumentArity.ZeroOrMore };
        var stage = new Option<string?>("--stage") { Description = "Run every job of this stage." };
        var pipeline = new Option<bool>("--pipeline") { Description = "Run every job GitLab would create, in the order needs and stages allow." };
        var manual = new Option<string[]>("--manual") { Description = "Run this when: manual job (repeatable); otherwise manual jobs are listed, not run." };
        var needs = new Option<bool>("--needs") { Description = "Also run, first, what the named jobs need." };
        var executor = new Option<string>("--executor") { Description = "auto or shell (docs/jobs.md).", DefaultValueFactory = _ => "auto" };
        executor.AcceptOnlyFromAmong("auto", "shell", "docker");
        var concurrency = new Option<int>("--concurrency") { Description = "How many jobs run at once (default: cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var report = new Option<string?>("--report") { Description = "Write the summary as JSON to this file." };
        var inPlace = new Option<bool>("--in-place") { Description = "Run in the checkout itself instead of a copy under .dockyard/builds." };
        var toSource = new Option<bool>("--artifacts-to-source") { Description = "Copy the jobs' artifacts back into the checkout after the run." };
        var command = new Command("run", "Run CI jobs with GitLab Runner's semantics: a job log per job, a summary, exit 1 when the run failed.")
        {
            jobs, stage, pipeline, manual, needs, executor, concurrency, report, inPlace, toSource,
        };
        var shared = new JobCommandOptions();
        shared.AddTo(command);
        var trigger = new PipelineTriggerOptions();
        trigger.AddTo(command);
        command.SetAction(parse =>
        {
            var interactive = !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error);
            var log = new ConsoleJobLog(stderr, prefixed: true);
            var host = cli.Host();
            using var canceled = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                stderr.WriteLine("Canceling: stopping running jobs (after_script still runs)...");
                canceled.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; canceled.Cancel(); });
            try
            {
                var external = shared.Variables(parse, host);
                var count = parse.GetValue(concurrency);
                if (count < 1) throw new DockyardException($"--concurrency {count}: give at least 1.");
                var options = new JobRunOptions
                {
                    ProjectDirectory = parse.GetValue(shared.Cwd) ?? ".",
                    File = parse.GetValue(shared.File) ?? ".gitlab-ci.yml",
                    IncludeCacheDirectory = parse.GetValue(shared.IncludeCache),
                    Trigger = trigger.Read(parse),
                    GitLabUrl = parse.GetValue(shared.GitLabUrl),
                    Variables = external,
                    Executor = parse.GetValue(executor) switch { "shell" => ExecutorKind.Shell, "docker" => ExecutorKind.Docker, _ => ExecutorKind.Auto },
                    Concurrency = count,
                    InPlace = parse.GetValue(inPlace),
                    ArtifactsToSource = parse.GetValue(toSource),
                    Color = interactive,
                    DockyardCommand = Hosting.DockyardInvocation.Current(),
                    Selection = new RunSelection
                    {
                        Jobs = parse.GetValue(jobs) ?? [],
                        Stage = parse.GetValue(stage),
                        Pipeline = parse.GetValue(pipeline),
                        Manual = parse.GetValue(manual) ?? [],
                        Needs = parse.GetValue(needs),
                    },
                };
                var result = new JobEngine(host).RunAsync(options, log, canceled.Token).GetAwaiter().GetResult();
                stderr.Write(host.Masker.Mask(RunSummaryWriter.Write(result)));
                if (parse.GetValue(report) is { } reportPath) File.WriteAllText(host.FullPath(reportPath), RunReportWriter.Write(result));
                return result.ExitCode;
            }
            catch (Exception failure)
            {
                return ErrorReport.Write(failure, stderr, host.Masker, cli.Verbose);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }
}
