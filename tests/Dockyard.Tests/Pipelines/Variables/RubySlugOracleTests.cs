using Dockyard.Pipelines.Variables;
using Dockyard.Tests.Pipelines.Fixtures;

namespace Dockyard.Tests.Pipelines.Variables;

/// <summary>Compares <see cref="Slug"/> with GitLab's Ruby slug code run by real Ruby (ruby-slugs.tsv).</summary>
public class RubySlugOracleTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var row in FixtureFile.Rows("ruby-slugs.tsv"))
        {
            data.Add(row[0], row[1], row[2]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Slugs_agree_with_gitlab_ruby(string name, string slug, string environmentSlug)
    {
        Assert.Equal(slug, Slug.Slugify(name));
        Assert.Equal(environmentSlug, Slug.EnvironmentSlug(name));
    }
}
