using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Cake;

/// <summary>Runs the real <c>dotnet cake</c> (cake.tool from the repository's manifest) on a script in a temp directory.</summary>
internal static class CakeScriptRunner
{
    /// <summary>The <c>#addin</c> directive loading the packed addin from the run's feed.</summary>
    public static string AddinDirective => $"#addin nuget:?package=Dockyard.Cake&version={PackageFeed.PackageVersion}&loaddependencies=false";

    /// <summary>Extracts the packed addin into <paramref name="dir"/> and returns the <c>#r</c> directive loading it by path.</summary>
    public static async Task<string> ReferenceDirectiveAsync(TempDirectory dir)
    {
        var feed = await PackageFeed.EnsurePackedAsync("src/Dockyard.Cake/Dockyard.Cake.csproj");
        var package = Path.Combine(feed, $"Dockyard.Cake.{PackageFeed.PackageVersion}.nupkg");
        System.IO.Compression.ZipFile.ExtractToDirectory(package, dir.Combine("addin"), overwriteFiles: true);
        return $"#r \"{dir.Combine("addin", "lib", "net10.0", "Dockyard.Cake.dll")}\"";
    }

    /// <summary>Writes <paramref name="script"/> as build.cake into <paramref name="dir"/> (with the tool manifest and NuGet.config) and runs it.</summary>
    public static Task<ProcessResult> RunAsync(TempDirectory dir, string script, params string[] arguments) =>
        RunAsync(dir, script, new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="RunAsync(TempDirectory, string, string[])"/>, with extra environment variables for the Cake process (secrets go here).</summary>
    public static async Task<ProcessResult> RunAsync(TempDirectory dir, string script, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var environment = await PrepareAsync(dir, script, variables);
        return await ProcessRunner.RunAsync("dotnet", ["tool", "run", "dotnet-cake", "--", dir.Combine("build.cake"), .. arguments], timeout: TimeSpan.FromMinutes(6), environment: environment, workingDirectory: dir.Path);
    }

    /// <summary>
    /// As <see cref="RunAsync(TempDirectory, string, IReadOnlyDictionary{string, string}, string[])"/>, but returns the
    /// running <c>dotnet tool run dotnet-cake</c> process (for tests that signal it), its outputs read to the end.
    /// </summary>
    public static async Task<RunningCake> StartAsync(TempDirectory dir, string script, IReadOnlyDictionary<string, string> variables, params string[] arguments)
    {
        var environment = await PrepareAsync(dir, script, variables);
        var info = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.Path,
        };
        foreach (var argument in (string[])["tool", "run", "dotnet-cake", "--", dir.Combine("build.cake"), .. arguments]) info.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("dotnet tool run dotnet-cake did not start");
        return new RunningCake(process, process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
    }

    private static async Task<Dictionary<string, string>> PrepareAsync(TempDirectory dir, string script, IReadOnlyDictionary<string, string> variables)
    {
        await PackageFeed.EnsurePackedAsync("src/Dockyard.Cake/Dockyard.Cake.csproj");
        System.IO.Directory.CreateDirectory(dir.Combine(".config"));
        File.Copy(Path.Combine(PackageFeed.RepositoryRoot, ".config", "dotnet-tools.json"), dir.Combine(".config", "dotnet-tools.json"), overwrite: true);
        PackageFeed.WriteNuGetConfig(dir.Path);
        dir.WriteFile("build.cake", script);
        var environment = new Dictionary<string, string>(variables) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        (await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], timeout: TimeSpan.FromMinutes(3), environment: environment, workingDirectory: dir.Path)).EnsureSuccess("dotnet tool restore");
        return environment;
    }
}

/// <summary>A <c>dotnet cake</c> run in progress: the <c>dotnet tool run</c> process and its outputs (complete once it has exited).</summary>
internal sealed record RunningCake(System.Diagnostics.Process Process, Task<string> StandardOutput, Task<string> StandardError) : IDisposable
{
    /// <summary>The Cake process itself: the child <c>dotnet tool run</c> started (what a terminal's Ctrl+C also reaches).</summary>
    public int CakeProcessId()
    {
        var children = Directory.GetDirectories($"/proc/{Process.Id}/task")
            .SelectMany(t => File.ReadAllText(Path.Combine(t, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToList();
        return children.Count == 1 ? children[0] : throw new InvalidOperationException($"dotnet tool run has {children.Count} child processes, not the one Cake process");
    }

    /// <summary>Waits for the end (killing the tree after <paramref name="watchdog"/>, a bound, not a measured time) and returns the result.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan watchdog)
    {
        using var cts = new CancellationTokenSource(watchdog);
        try { await Process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
            throw new TimeoutException($"dotnet cake did not end within {watchdog} of the signal:\n{await StandardOutput}\n{await StandardError}");
        }
        return new ProcessResult(Process.ExitCode, await StandardOutput, await StandardError);
    }

    /// <summary>Kills the tree if it still runs.</summary>
    public void Dispose()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
