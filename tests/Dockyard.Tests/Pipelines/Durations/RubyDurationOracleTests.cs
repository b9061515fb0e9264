using System.Globalization;
using System.Text.Json;
using Dockyard.Pipelines.Durations;
using Dockyard.Tests.Pipelines.Fixtures;

namespace Dockyard.Tests.Pipelines.Durations;

/// <summary>Compares <see cref="GitLabDuration"/> with GitLab's gitlab-chronic-duration gem run by Ruby (ruby-durations.tsv).</summary>
public class RubyDurationOracleTests
{
    [Fact]
    public void Durations_agree_with_gitlab_chronic_duration()
    {
        var rows = FixtureFile.Rows("ruby-durations.tsv").ToList();
        Assert.True(rows.Count > 100);
        var disagreements = new List<string>();
        foreach (var row in rows)
        {
            var input = JsonSerializer.Deserialize<string>(row[0])!;
            var ok = GitLabDuration.TryParse(input, out var duration, out var problem);
            var expected = row[1] is "nil" or "error"
                ? "invalid"
                : TimeSpan.FromSeconds(Math.Round(double.Parse(row[1], CultureInfo.InvariantCulture), 3)).ToString();
            var actual = ok ? duration!.Value.ToString() : "invalid";
            if (expected != actual)
            {
                disagreements.Add($"{row[0]}: gem {row[1]}, dockyard {actual} {problem}");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n" + string.Join("\n", disagreements));
    }
}
