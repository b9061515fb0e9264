using Dockyard.Hosting;
using Dockyard.Jobs.Artifacts;
using Dockyard.Jobs.Cache;
using Dockyard.Jobs.Variables;
using Dockyard.Jobs.Workspace;

namespace Dockyard.Jobs;

/// <summary>What every job of one run shares: the host, the state directories, the variables from outside, the log.</summary>
public sealed class JobRunContext
{
    private int _nextJobId;

    /// <summary>Creates the context of a run.</summary>
    public JobRunContext(HostContext host, DockyardLayout layout, IReadOnlyDictionary<string, string> predefined,
        IReadOnlyList<JobVariable> external, IReadOnlyList<string> sourceFiles, IJobLog log, JobRunOptions options)
    {
        Host = host;
        Layout = layout;
        Predefined = predefined;
        External = external;
        SourceFiles = sourceFiles;
        Log = log;
        Options = options;
        Artifacts = new ArtifactStore(layout);
        Cache = new CacheStore(layout);
        _nextJobId = int.TryParse(predefined.GetValueOrDefault("CI_PIPELINE_ID"), out var pipelineId) ? pipelineId * 1000 : 1000;
    }

    /// <summary>The host (environment, masker, logger).</summary>
    public HostContext Host { get; }

    /// <summary>Where builds, artifacts and caches live.</summary>
    public DockyardLayout Layout { get; }

    /// <summary>The pipeline-level predefined variables.</summary>
    public IReadOnlyDictionary<string, string> Predefined { get; }

    /// <summary>The variables file's and <c>--variable</c> variables.</summary>
    public IReadOnlyList<JobVariable> External { get; }

    /// <summary>The files a working copy receives.</summary>
    public IReadOnlyList<string> SourceFiles { get; }

    /// <summary>Where logs go.</summary>
    public IJobLog Log { get; }

    /// <summary>The run's options.</summary>
    public JobRunOptions Options { get; }

    /// <summary>The artifacts of finished jobs.</summary>
    public ArtifactStore Artifacts { get; }

    /// <summary>The caches.</summary>
    public CacheStore Cache { get; }

    /// <summary>The clock (section timestamps, <c>CI_JOB_STARTED_AT</c>).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Every job's directory name (all jobs of the pipeline, so artifacts of jobs outside the run are found).</summary>
    public IReadOnlyDictionary<string, string> Slugs { get; init; } = new Dictionary<string, string>();

    /// <summary>The directory name of job <paramref name="name"/>.</summary>
    public string SlugOf(string name) => Slugs.TryGetValue(name, out var slug) ? slug : Pipelines.Variables.Slug.Slugify(name);

    /// <summary>A new <c>CI_JOB_ID</c>.</summary>
    public int NextJobId() => Interlocked.Increment(ref _nextJobId);
}
