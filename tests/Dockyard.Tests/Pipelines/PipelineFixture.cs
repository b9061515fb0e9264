using Dockyard.Diagnostics;
using Dockyard.Pipelines;
using Dockyard.Pipelines.Jobs;

namespace Dockyard.Tests.Pipelines;

/// <summary>A throw-away project directory with pipeline files, loaded with a fixed environment.</summary>
internal sealed class PipelineFixture : IDisposable
{
    public PipelineFixture(string? pipeline = null)
    {
        Directory = Path.Combine(Path.GetTempPath(), "dockyard-pipelines-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        if (pipeline is not null) Write(".gitlab-ci.yml", pipeline);
    }

    public string Directory { get; }

    /// <summary>Branch pipeline on main by default; tests override with their own variables.</summary>
    public Dictionary<string, string> Variables { get; } = new()
    {
        ["CI_COMMIT_BRANCH"] = "main",
        ["CI_COMMIT_REF_NAME"] = "main",
        ["CI_DEFAULT_BRANCH"] = "main",
        ["CI_PIPELINE_SOURCE"] = "push",
    };

    public string? IncludeCache { get; set; }

    /// <summary>The GitLab instance includes are fetched from (<c>--gitlab-url</c>), or null.</summary>
    public string? GitLabUrl { get; set; }

    /// <summary>The host environment the load sees (tokens, CI_SERVER_URL); empty by default.</summary>
    public Dictionary<string, string> Environment { get; } = new();

    public PipelineFixture Write(string path, string content)
    {
        var full = Path.Combine(Directory, path);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public Pipeline Load(string file = ".gitlab-ci.yml") => PipelineLoader.Load(new PipelineOptions
    {
        ProjectDirectory = Directory,
        File = file,
        Variables = Variables,
        IncludeCacheDirectory = IncludeCache,
        GitLabUrl = GitLabUrl,
        Environment = Environment,
    });

    public SourceException Error(string file = ".gitlab-ci.yml") => Assert.Throws<SourceException>(() => Load(file));

    public static Pipeline Load(string yaml, Action<PipelineFixture>? setup = null)
    {
        using var fixture = new PipelineFixture(yaml);
        setup?.Invoke(fixture);
        return fixture.Load();
    }

    public static SourceException Error(string yaml, Action<PipelineFixture>? setup = null)
    {
        using var fixture = new PipelineFixture(yaml);
        setup?.Invoke(fixture);
        return fixture.Error();
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}

internal static class PipelineAssertions
{
    public static Job Job(this Pipeline pipeline, string name) =>
        pipeline.Jobs.SingleOrDefault(j => j.Name == name) ?? throw new Xunit.Sdk.XunitException(
            $"no job '{name}' in [{string.Join(", ", pipeline.Jobs.Select(j => j.Name))}]");

    public static void At(this SourceException ex, int line, int column, string file = ".gitlab-ci.yml")
    {
        Assert.Equal(new SourceLocation(file, line, column), ex.Location);
        Assert.StartsWith($"{file}:{line}:{column}: ", ex.Message);
    }
}
