using System.Collections.Concurrent;

namespace Dockyard.Tests.Infrastructure;

/// <summary>
/// A local NuGet feed with the repository's packages, each packed once per test run (with a version unique to the
/// run, so no cache of an earlier run answers) into one directory under the temp path.
/// </summary>
public static class PackageFeed
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Packed = new(StringComparer.Ordinal);
    private static readonly SemaphoreSlim OnePack = new(1, 1);
    private static readonly string Version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The feed directory (absolute), shared by every package of the run.</summary>
    public static string Directory { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dockyard-feed-{Environment.ProcessId}");

    /// <summary>The repository root (the directory holding Extensions.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = AppContext.BaseDirectory;
            while (!File.Exists(System.IO.Path.Combine(root, "Extensions.sln"))) root = System.IO.Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Extensions.sln not found above the test output");
            return root;
        }
    }

    /// <summary>Packs <paramref name="csprojRelPath"/> (relative to the repository root) into the feed once per run; returns the feed directory.</summary>
    public static Task<string> EnsurePackedAsync(string csprojRelPath) =>
        Packed.GetOrAdd(csprojRelPath, path => new Lazy<Task<string>>(() => PackAsync(path))).Value;

    /// <summary>
    /// Writes a NuGet.config into <paramref name="dir"/> whose only source is the feed, or, with
    /// <paramref name="keepDefaultSources"/>, the feed before the machine's own sources (for xunit and the like).
    /// </summary>
    public static string WriteNuGetConfig(string dir, bool keepDefaultSources = false)
    {
        var path = System.IO.Path.Combine(dir, "NuGet.config");
        File.WriteAllText(path, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                {(keepDefaultSources ? "" : "<clear />")}
                <add key="dockyard-feed" value="{Directory}" />
              </packageSources>
            </configuration>
            """);
        return path;
    }

    /// <summary>Runs <paramref name="action"/> while no pack runs (a pack rebuilds the projects' own output directories).</summary>
    public static void WhileNothingIsPacked(Action action)
    {
        OnePack.Wait();
        try
        {
            action();
        }
        finally
        {
            OnePack.Release();
        }
    }

    /// <summary>The version the feed's packages carry in this run.</summary>
    public static string PackageVersion => Version;

    private static async Task<string> PackAsync(string csprojRelPath)
    {
        // One pack at a time: packs of different projects build the same Dockyard.Core output directory.
        await OnePack.WaitAsync();
        try
        {
            return await PackOneAsync(csprojRelPath);
        }
        finally
        {
            OnePack.Release();
        }
    }

    private static async Task<string> PackOneAsync(string csprojRelPath)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var project = System.IO.Path.Combine(RepositoryRoot, csprojRelPath);
        var result = await ProcessRunner.RunAsync("dotnet", ["pack", project, "-c", "Release", "-o", Directory, $"-p:Version={Version}", "-nologo"], timeout: TimeSpan.FromMinutes(8));
        result.EnsureSuccess($"dotnet pack {csprojRelPath}");
        return Directory;
    }
}
