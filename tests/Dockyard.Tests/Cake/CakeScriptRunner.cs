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
        await PackageFeed.EnsurePackedAsync("src/Dockyard.Cake/Dockyard.Cake.csproj");
        System.IO.Directory.CreateDirectory(dir.Combine(".config"));
        File.Copy(Path.Combine(PackageFeed.RepositoryRoot, ".config", "dotnet-tools.json"), dir.Combine(".config", "dotnet-tools.json"), overwrite: true);
        PackageFeed.WriteNuGetConfig(dir.Path);
        dir.WriteFile("build.cake", script);
        var environment = new Dictionary<string, string>(variables) { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" };
        (await ProcessRunner.RunAsync("dotnet", ["tool", "restore"], timeout: TimeSpan.FromMinutes(3), environment: environment, workingDirectory: dir.Path)).EnsureSuccess("dotnet tool restore");
        return await ProcessRunner.RunAsync("dotnet", ["tool", "run", "dotnet-cake", "--", dir.Combine("build.cake"), .. arguments], timeout: TimeSpan.FromMinutes(6), environment: environment, workingDirectory: dir.Path);
    }
}
