using Dockyard.Diagnostics;
using Dockyard.Fuzz.Targets;

namespace Dockyard.Fuzz.Replay;

/// <summary>
/// Runs inputs through their targets in this process, without afl: every file of <c>CORPUS/&lt;target&gt;/</c> and every
/// crash or hang afl found under <c>FINDINGS/&lt;target&gt;/**/{crashes,hangs}/id:*</c>. An input fails when its target throws anything
/// but a <see cref="DockyardException"/>, or runs past <see cref="Watchdog"/> (a hang, not a timing measurement).
/// </summary>
public static class CorpusReplay
{
    /// <summary>The bound after which one input counts as hung.</summary>
    public static TimeSpan Watchdog { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The inputs of <paramref name="target"/> under a corpus root and a findings root (either may be missing).</summary>
    public static IEnumerable<string> Inputs(IFuzzTarget target, string? corpusRoot, string? findingsRoot)
    {
        var corpus = corpusRoot is null ? null : Path.Combine(corpusRoot, target.Name);
        var findings = findingsRoot is null ? null : Path.Combine(findingsRoot, target.Name);
        var seeds = corpus is not null && Directory.Exists(corpus) ? Directory.EnumerateFiles(corpus) : [];
        var crashes = findings is not null && Directory.Exists(findings)
            ? Directory.EnumerateFiles(findings, "id:*", SearchOption.AllDirectories).Where(f => Path.GetFileName(Path.GetDirectoryName(f)) is "crashes" or "hangs")
            : [];
        return seeds.Concat(crashes).Order(StringComparer.Ordinal);
    }

    /// <summary>Replays every input of every target: what each did, per target.</summary>
    public static IReadOnlyList<ReplaySummary> Run(string? corpusRoot, string? findingsRoot) =>
        FuzzTargets.All.Select(target => Run(target, corpusRoot, findingsRoot)).ToList();

    /// <summary>Replays every input of <paramref name="target"/>.</summary>
    public static ReplaySummary Run(IFuzzTarget target, string? corpusRoot, string? findingsRoot)
    {
        var summary = new ReplaySummary(target.Name);
        foreach (var input in Inputs(target, corpusRoot, findingsRoot))
        {
            var (accepted, problem) = RunOne(target, File.ReadAllBytes(input));
            if (problem is not null) summary.Failures.Add(new ReplayFailure(target.Name, input, problem));
            else if (accepted) summary.Accepted++;
            else summary.Refused++;
        }
        return summary;
    }

    /// <summary>
    /// Runs one input: whether the target accepted it (else it refused it with Dockyard's clear error), or the
    /// problem when it crashed or hung.
    /// </summary>
    public static (bool Accepted, string? Problem) RunOne(IFuzzTarget target, byte[] input)
    {
        var run = Task.Run(() => ClearErrors.Run(target, input));
        try
        {
            return run.Wait(Watchdog) ? (run.Result, null) : (false, $"still running after the {Watchdog.TotalSeconds:0} s safety bound (a hang)");
        }
        catch (AggregateException e) when (e.InnerException is { } crash)
        {
            return (false, crash.ToString());
        }
    }
}
