// Loads every pipeline of a corpus with Dockyard (in process, warm) and with gitlab-ci-local (its CLI, as users run it)
// and prints the time of each and the ratio. Usage:
//   dotnet run -c Release --project bench/pipelines -- [CORPUS_DIR] [--gcl PATH] [--runs N] [--no-gcl] [--include-cache DIR]
// Dockyard's time is the resolution (YAML, includes, extends, rules, jobs) with the predefined variables computed once per
// checkout (computing them runs git, which is reported separately); CPU time is printed too because wall time on a
// shared machine mostly measures the scheduler. gitlab-ci-local's time is its whole process (how users run it).
using System.Diagnostics;
using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Variables;

var corpus = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && Directory.Exists(a)) ?? "/work/shared/corpus/gitlab-ci";
var gcl = Arg("--gcl") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache/dockyard-ci-diff/node_modules/.bin/gitlab-ci-local");
int runs = int.TryParse(Arg("--runs"), out var r) ? r : 20;
var cache = Arg("--include-cache") ?? Path.Combine(corpus, "gitlab-templates");
if (!Directory.Exists(cache)) cache = null;
bool withGcl = !args.Contains("--no-gcl") && File.Exists(gcl);

var cases = Directory.EnumerateFiles(corpus, ".gitlab-ci.yml", SearchOption.AllDirectories)
    .Where(f => !Path.GetRelativePath(corpus, f).Split('/')[0].EndsWith("-expected", StringComparison.Ordinal))
    .Select(Path.GetDirectoryName).Order(StringComparer.Ordinal).ToList();
Console.WriteLine($"{cases.Count} pipelines under {corpus}; Dockyard: median of {runs} warm loads; gitlab-ci-local: {(withGcl ? gcl : "skipped")}");
Console.WriteLine($"{"pipeline",-70} {"jobs",5} {"dockyard ms",12} {"cpu ms",7} {"gcl ms",9} {"ratio",7}");

var ratios = new List<double>();
var times = new List<(string Case, int Jobs, double Ms)>();
var cpuTimes = new List<double>();
var gitTimes = new List<double>();
foreach (var dir in cases)
{
    var work = Path.Combine(Path.GetTempPath(), "dockyard-bench-" + Guid.NewGuid().ToString("N"));
    try
    {
        CopyDirectory(dir!, work);
        Git(work, "init", "-q", "-b", "main");
        Git(work, "remote", "add", "origin", "https://gitlab.example.com/group/app.git");
        Git(work, "add", "-A");
        Git(work, "-c", "user.email=ci@example.com", "-c", "user.name=ci", "commit", "-qm", "case");
        var predefined = PredefinedVariables.Compute(new PredefinedVariablesContext(work));
        var options = new PipelineOptions { ProjectDirectory = work, PredefinedVariables = predefined, IncludeCacheDirectory = cache };
        Pipeline? pipeline = null;
        try { pipeline = PipelineLoader.Load(options); } catch (DockyardException) { }
        var samples = new List<double>(runs);
        var cpuSamples = new List<double>(runs);
        var self = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            try { PipelineLoader.Load(options); } catch (DockyardException) { }
            samples.Add(sw.Elapsed.TotalMilliseconds);
            self.Refresh();
            cpuSamples.Add((self.TotalProcessorTime - cpu0).TotalMilliseconds);
        }
        double dockyard = Median(samples);
        double dockyardCpu = Median(cpuSamples);
        cpuTimes.Add(dockyardCpu);
        var gitWatch = Stopwatch.StartNew();
        PredefinedVariables.Compute(new PredefinedVariablesContext(work));
        gitTimes.Add(gitWatch.Elapsed.TotalMilliseconds);
        double? gclMs = null;
        if (withGcl)
        {
            var sw = Stopwatch.StartNew();
            Run(gcl, work, "--list-json", "--json-schema-validation=false");
            gclMs = sw.Elapsed.TotalMilliseconds;
            ratios.Add(gclMs.Value / dockyard);
        }
        var name = Path.GetRelativePath(corpus, dir!);
        int jobs = pipeline?.Jobs.Count ?? 0;
        times.Add((name, jobs, dockyard));
        Console.WriteLine($"{name,-70} {jobs,5} {dockyard,12:F2} {dockyardCpu,7:F1} {(gclMs is null ? "-" : gclMs.Value.ToString("F0")),9} {(gclMs is null ? "-" : (gclMs.Value / dockyard).ToString("F0") + "x"),7}");
    }
    finally
    {
        try { Directory.Delete(work, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
var largest = times.MaxBy(t => t.Jobs);
Console.WriteLine($"largest pipeline ({largest.Jobs} jobs): {largest.Case} {largest.Ms:F2} ms warm; slowest: {times.MaxBy(t => t.Ms).Case} {times.Max(t => t.Ms):F2} ms; median {Median(times.Select(t => t.Ms).ToList()):F2} ms");
Console.WriteLine($"predefined variables (git, once per checkout): median {Median(gitTimes):F1} ms; Dockyard CPU per load: median {Median(cpuTimes):F2} ms, max {cpuTimes.DefaultIfEmpty().Max():F2} ms");
if (ratios.Count > 0) Console.WriteLine($"median ratio gitlab-ci-local / dockyard: {Median(ratios):F0}x (min {ratios.Min():F0}x)");

string? Arg(string name) { int i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }

static double Median(List<double> values)
{
    values.Sort();
    return values.Count == 0 ? 0 : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
}

static void CopyDirectory(string from, string to)
{
    foreach (var d in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, d)));
    Directory.CreateDirectory(to);
    foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
}

static void Git(string dir, params string[] a) => Run("git", dir, a);

static void Run(string exe, string dir, params string[] a)
{
    var start = new ProcessStartInfo(exe) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var x in a) start.ArgumentList.Add(x);
    using var p = Process.Start(start)!;
    p.StandardOutput.ReadToEndAsync();
    p.StandardError.ReadToEndAsync();
    p.WaitForExit();
}
