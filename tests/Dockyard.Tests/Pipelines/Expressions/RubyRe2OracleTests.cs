using System.Text.Json;
using Dockyard.Pipelines.Expressions;
using Dockyard.Tests.Pipelines.Fixtures;

namespace Dockyard.Tests.Pipelines.Expressions;

/// <summary>
/// Compares the RE2-to-.NET translation with the real RE2 library (the re2 gem GitLab uses) on every regex literal of
/// the corpus and hand-written RE2 cases, over a fixed set of subjects (ruby-re2.tsv).
/// </summary>
public class RubyRe2OracleTests
{
    // Named groups written (?<name>...) are accepted by the RE2 GitLab bundles (2023+), not by Debian's older libre2.
    private static readonly HashSet<string> AcceptedByNewerRe2 = ["/(?<y>\\d{4})/"];

    [Fact]
    public void Regexes_agree_with_re2()
    {
        var rows = FixtureFile.Rows("ruby-re2.tsv").ToList();
        var subjectsLine = File.ReadLines(FixtureFile.PathOf("ruby-re2.tsv")).First(line => line.StartsWith("#subjects\t"));
        var subjects = JsonSerializer.Deserialize<string[]>(subjectsLine.Split('\t')[1])!;
        Assert.True(subjects.Length > 30 && rows.Count > 100);
        var disagreements = new List<string>();
        foreach (var row in rows)
        {
            var literal = JsonSerializer.Deserialize<string>(row[0])!;
            var accepted = bool.Parse(row[1]);
            var matches = JsonSerializer.Deserialize<bool[]>(row[2])!;
            var ours = UntrustedRegex.TryParseLiteral(literal.Replace("\\/", "/", StringComparison.Ordinal), out var regex);
            if (AcceptedByNewerRe2.Contains(literal))
            {
                Assert.True(ours, literal);
                continue;
            }

            if (ours != accepted)
            {
                disagreements.Add($"{literal}: RE2 {(accepted ? "accepts" : "rejects")} it");
                continue;
            }

            for (var i = 0; i < matches.Length; i++)
            {
                if (regex!.IsMatch(subjects[i]) != matches[i])
                {
                    disagreements.Add($"{literal} on {JsonSerializer.Serialize(subjects[i])}: RE2 says {matches[i]}");
                }
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n" + string.Join("\n", disagreements));
    }
}
