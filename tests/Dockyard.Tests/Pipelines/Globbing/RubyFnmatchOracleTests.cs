using Dockyard.Pipelines.Globbing;
using Dockyard.Tests.Pipelines.Fixtures;

namespace Dockyard.Tests.Pipelines.Globbing;

/// <summary>Compares <see cref="PathGlob"/> with real Ruby File.fnmatch? answers recorded in ruby-fnmatch.tsv.</summary>
public class RubyFnmatchOracleTests
{
    [Fact]
    public void Agrees_with_ruby_fnmatch_on_every_recorded_case()
    {
        var rows = FixtureFile.Rows("ruby-fnmatch.tsv").ToList();
        Assert.True(rows.Count > 2000);
        var globs = new Dictionary<string, PathGlob>();
        var disagreements = new List<string>();
        foreach (var row in rows)
        {
            var (pattern, path, expected) = (row[0], row[1], bool.Parse(row[2]));
            if (!globs.TryGetValue(pattern, out var glob))
            {
                glob = globs[pattern] = PathGlob.Compile(pattern);
            }

            if (glob.IsMatch(path) != expected)
            {
                disagreements.Add($"fnmatch('{pattern}', '{path}') is {expected} in Ruby");
            }
        }

        Assert.True(disagreements.Count == 0, $"{disagreements.Count} disagreements:\n" + string.Join("\n", disagreements));
    }
}
