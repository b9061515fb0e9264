using Dockyard.Fuzz.Replay;
using Dockyard.Fuzz.Targets;
using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Hostile;

/// <summary>
/// The fuzz targets' corpora (seeds and every crash afl found, fixed since) replayed in-process through the real
/// parsers: each input is accepted or refused with Dockyard's clear error, never another exception or a hang.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets() => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_corpus_input_is_accepted_or_refused_with_a_clear_error(string target)
    {
        var summary = CorpusReplay.Run(FuzzTargets.Find(target)!, FuzzCorpus.Root, findingsRoot: null);

        Assert.True(summary.Failures.Count == 0, string.Join("\n", summary.Failures));
        Assert.True(summary.Accepted > 0, $"no seed of {target} is accepted, so the fuzzer starts from refusals only: {summary}");
    }

    [Fact]
    public void A_crash_in_a_target_is_reported_with_its_exception()
    {
        var (accepted, problem) = CorpusReplay.RunOne(new ThrowingTarget(), [1, 2, 3]);

        Assert.False(accepted);
        Assert.StartsWith("System.IndexOutOfRangeException: 3 bytes", problem);
    }

    [Fact]
    public void A_clear_error_is_a_refusal_not_a_crash()
    {
        var (accepted, problem) = CorpusReplay.RunOne(FuzzTargets.Find("image-reference")!, "Not A Reference"u8.ToArray());

        Assert.False(accepted);
        Assert.Null(problem);
    }

    private sealed class ThrowingTarget : IFuzzTarget
    {
        public string Name => "throwing";

        public void Run(byte[] input) => throw new IndexOutOfRangeException($"{input.Length} bytes");
    }
}
