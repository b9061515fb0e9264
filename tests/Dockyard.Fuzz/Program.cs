using Dockyard.Fuzz.Replay;
using Dockyard.Fuzz.Targets;
using SharpFuzz;

// dotnet Dockyard.Fuzz.dll TARGET                       under afl-fuzz (build/fuzz.sh): the afl fork server over TARGET
// dotnet Dockyard.Fuzz.dll replay CORPUS [FINDINGS]     every corpus file and every found crash, in-process; exit 1 on a crash
// dotnet Dockyard.Fuzz.dll list                         the target names
const string usage = "usage: Dockyard.Fuzz TARGET | replay CORPUS [FINDINGS] | list";
switch (args)
{
    case ["list"]:
        foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
        return 0;
    case ["replay", var corpus, .. var rest] when rest.Length <= 1:
        var summaries = CorpusReplay.Run(corpus, rest.FirstOrDefault());
        foreach (var summary in summaries)
        {
            Console.WriteLine(summary);
            foreach (var failure in summary.Failures) Console.Error.WriteLine(failure);
        }
        var crashed = summaries.Sum(s => s.Failures.Count);
        if (summaries.Any(s => s.Inputs == 0)) Console.Error.WriteLine($"replay: no input for {string.Join(", ", summaries.Where(s => s.Inputs == 0).Select(s => s.Target))} under {corpus}");
        return crashed == 0 && summaries.All(s => s.Inputs > 0) ? 0 : 1;
    case [var name] when FuzzTargets.Find(name) is { } target:
        Fuzzer.Run(stream =>
        {
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            ClearErrors.Run(target, bytes.ToArray());
        });
        return 0;
    default:
        Console.Error.WriteLine($"{usage}\ntargets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        return 2;
}
