// Runs a 20-job shell pipeline (4 stages x 5 trivial jobs) with Dockyard's job engine and with gitlab-ci-local, side by
// side, one job at a time, and prints each tool's overhead per job: (time of the 20-job pipeline - time of a 1-job
// pipeline) / 19, so process start-up and pipeline loading are not counted as per-job cost. Usage:
//   dotnet run -c Release --project bench/jobs -- [--runs N] [--gcl PATH] [--no-gcl] [--dockyard-cli DLL]
// Dockyard is measured in process (the engine as MSBuild/Cake call it) and, with --dockyard-cli, as the CLI process.
using System.Diagnostics;
using Dockyard.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;

int runs = int.TryParse(Arg("--runs"), out var r) ? r : 5;
var gcl = Arg("--gcl") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache/dockyard-ci-diff/node_modules/.bin/gitlab-ci-local");
bool withGcl = !args.Contains("--no-gcl") && File.Exists(gcl);
var cli = Arg("--dockyard-cli") is { } given ? Path.GetFullPath(given) : null;

var big = Project(20);
var small = Project(1);
try
{
    Console.WriteLine($"20-job shell pipeline vs 1-job pipeline, concurrency 1, median of {runs} runs");
    var inProcess = Overhead(() => Engine(big), () => Engine(small));
    Console.WriteLine($"dockyard (in process)  overhead per job: {inProcess:0.0} ms");
    if (cli is not null)
    {
        var viaCli = Overhead(() => Process("dotnet", big, cli, "ci", "run", "--pipeline", "--concurrency", "1"),
            () => Process("dotnet", small, cli, "ci", "run", "--pipeline", "--concurrency", "1"));
        Console.WriteLine($"dockyard (CLI)         overhead per job: {viaCli:0.0} ms");
    }

    if (withGcl)
    {
        var other = Overhead(() => Process(gcl, big, "--concurrency", "1"), () => Process(gcl, small, "--concurrency", "1"));
        Console.WriteLine($"gitlab-ci-local 4.70.1 overhead per job: {other:0.0} ms");
    }
    else Console.WriteLine("gitlab-ci-local: skipped (not installed; npm install --prefix ~/.cache/dockyard-ci-diff gitlab-ci-local@4.70.1)");
}
finally
{
    Directory.Delete(big, true);
    Directory.Delete(small, true);
}

double Overhead(Func<double> many, Func<double> one)
{
    many();
    one();
    var m = Median(Enumerable.Range(0, runs).Select(_ => many()).ToList());
    var o = Median(Enumerable.Range(0, runs).Select(_ => one()).ToList());
    return (m - o) / 19;
}

double Engine(string dir)
{
    var host = HostContext.FromProcess();
    var sw = Stopwatch.StartNew();
    var result = new JobEngine(host).RunAsync(new JobRunOptions { ProjectDirectory = dir, Concurrency = 1, Selection = new RunSelection { Pipeline = true } },
        new NullLog(), CancellationToken.None).GetAwaiter().GetResult();
    if (result.Failed) throw new InvalidOperationException("the benchmark pipeline failed");
    return sw.Elapsed.TotalMilliseconds;
}

static double Process(string exe, string dir, params string[] arguments)
{
    var start = new ProcessStartInfo(exe) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments) start.ArgumentList.Add(a);
    var sw = Stopwatch.StartNew();
    using var p = System.Diagnostics.Process.Start(start)!;
    var output = p.StandardOutput.ReadToEndAsync();
    var error = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {error.Result}{output.Result}");
    return sw.Elapsed.TotalMilliseconds;
}

static string Project(int jobs)
{
    var dir = Path.Combine(Path.GetTempPath(), "dockyard-jobs-bench-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    var yaml = new System.Text.StringBuilder("stages: [s1, s2, s3, s4]\n");
    for (var i = 0; i < jobs; i++) yaml.Append($"job{i}:\n  stage: s{i % 4 + 1}\n  script:\n    - echo \"job {i} in $CI_PROJECT_DIR\"\n");
    File.WriteAllText(Path.Combine(dir, ".gitlab-ci.yml"), yaml.ToString());
    File.WriteAllText(Path.Combine(dir, "README.md"), "bench\n");
    foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.email=b@example.com", "-c", "user.name=b", "commit", "-qm", "bench"] })
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir };
        foreach (var a in args) start.ArgumentList.Add(a);
        System.Diagnostics.Process.Start(start)!.WaitForExit();
    }

    return dir;
}

static double Median(List<double> values)
{
    values.Sort();
    return values[values.Count / 2];
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

sealed class NullLog : IJobLog
{
    public void Started(string job) { }
    public void Line(string job, string text) { }
    public void Finished(JobResult result) { }
}
