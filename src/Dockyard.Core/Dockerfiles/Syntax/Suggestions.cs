namespace Dockyard.Dockerfiles.Syntax;

/// <summary>Finds the closest known word to a misspelt one (for "did you mean" hints).</summary>
internal static class Suggestions
{
    /// <summary>The candidate within edit distance 2 (or a third of the word) of <paramref name="word"/>, if any.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        var lower = word.ToLowerInvariant();
        var best = candidates.Select(c => (Candidate: c, Distance: Distance(lower, c.ToLowerInvariant())))
            .OrderBy(c => c.Distance).FirstOrDefault();
        return best.Candidate is not null && best.Distance <= Math.Max(2, word.Length / 3) ? best.Candidate : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
