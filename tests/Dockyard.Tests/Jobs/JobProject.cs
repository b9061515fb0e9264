using System.Collections.Concurrent;
using Dockyard.Hosting;
using Dockyard.Jobs;
using Dockyard.Jobs.Scheduling;
using Dockyard.Jobs.Variables;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Jobs;

/// <summary>A throw-away git checkout with a pipeline, run through the real job engine (real bash, real git).</summary>
internal sealed class JobProject : IDisposable
{
    private readonly TempDirectory _directory = new("jobs");

    public JobProject(string pipeline, params (string Path, string Content)[] files)
    {
        _directory.WriteFile(".gitlab-ci.yml", pipeline);
        foreach (var (path, content) in files) _directory.WriteFile(path, content);
        Git("init", "-q");
        Git("add", "-A");
    }

    public string Directory => _directory.Path;

    /// <summary>A directory outside the checkout that jobs may write to (retry counters, pid files).</summary>
    public string Outside => System.IO.Directory.CreateDirectory(_directory.Combine(".outside")).FullName;

    public RecordingLog Log { get; private set; } = new();

    public string Write(string path, string content) => _directory.WriteFile(path, content);

    public void Git(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    public HostContext Host()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            if (!((string)e.Key).StartsWith("CI_", StringComparison.Ordinal) && (string)e.Key is not ("GITLAB_CI" or "CI"))
                variables[(string)e.Key] = e.Value as string ?? "";
        return new HostContext(variables, Directory) { HomeDirectory = Environment.GetEnvironmentVariable("HOME") };
    }

    public RunResult Run(RunSelection selection, IReadOnlyList<JobVariable>? variables = null, int concurrency = 2,
        CancellationToken cancellation = default, bool inPlace = false, bool artifactsToSource = false)
    {
        Log = new RecordingLog();
        var options = new JobRunOptions
        {
            ProjectDirectory = Directory,
            Selection = selection,
            Variables = variables ?? [],
            Concurrency = concurrency,
            InPlace = inPlace,
            ArtifactsToSource = artifactsToSource,
        };
        var run = new JobEngine(Host()).RunAsync(options, Log, cancellation);
        Assert.True(run.Wait(TimeSpan.FromMinutes(5)), "watchdog: the run did not end within 5 minutes");
        return run.Result;
    }

    public RunResult RunPipeline(IReadOnlyList<JobVariable>? variables = null, int concurrency = 2) =>
        Run(new RunSelection { Pipeline = true }, variables, concurrency);

    public RunResult RunJobs(params string[] jobs) => Run(new RunSelection { Jobs = jobs });

    public void Dispose() => _directory.Dispose();
}

/// <summary>Records every line per job, in order.</summary>
internal sealed class RecordingLog : IJobLog
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _lines = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Order { get; } = new();

    public void Started(string job) => Order.Enqueue("start " + job);

    public void Line(string job, string text) => _lines.GetOrAdd(job, _ => new ConcurrentQueue<string>()).Enqueue(text);

    public void Finished(JobResult result) => Order.Enqueue("end " + result.Name);

    public IReadOnlyList<string> Of(string job) => _lines.TryGetValue(job, out var q) ? q.ToList() : [];

    public string TextOf(string job) => string.Join("\n", Of(job));

    public IEnumerable<string> AllLines => _lines.Values.SelectMany(q => q);
}

internal static class RunResultExtensions
{
    public static JobResult Job(this RunResult result, string name) => result.Jobs.Single(j => j.Name == name);
}
