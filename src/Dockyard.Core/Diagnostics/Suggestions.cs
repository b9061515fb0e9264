namespace Dockyard.Diagnostics;

/// <summary>"Did you mean" hints for misspelled keywords, instructions, flags and names (case-insensitive edit distance).</summary>
internal static class Suggestions
{
    /// <summary>Returns <c>" (did you mean 'x'?)"</c> for the closest candidate within a small edit distance, else empty.</summary>
    public static string DidYouMean(string word, IEnumerable<string> candidates) =>
        Closest(word, candidates) is { } best ? $" (did you mean '{best}'?)" : "";

    /// <summary>The candidate within edit distance 2 (or a third of the word's length) of <paramref name="word"/>, if any.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            int d = Distance(word, c);
            if (d < bestDistance) { bestDistance = d; best = c; }
        }
        return best is not null && bestDistance <= Math.Max(2, word.Length / 3) ? best : null;
    }

    internal static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
