using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// A console project in a temp directory that references the packed <c>Dockyard.MSBuild</c> from the run's feed (and
/// any further packages of that feed), with its own NuGet cache, home and Dockyard cache; restored once when created,
/// so each later <c>dotnet</c> run of a test class can pass <c>--no-restore</c>.
/// </summary>
public sealed class SdkTestProject : IDisposable
{
    private readonly TempDirectory _temp;

    private SdkTestProject(TempDirectory temp)
    {
        _temp = temp;
        Directory = temp.Combine("app");
        System.IO.Directory.CreateDirectory(Directory);
        System.IO.Directory.CreateDirectory(temp.Combine("home"));
        Environment = new Dictionary<string, string>
        {
            ["DOCKYARD_CACHE"] = temp.Combine("cache"), ["HOME"] = temp.Combine("home"), ["NUGET_PACKAGES"] = temp.Combine("nuget"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["MSBUILDDISABLENODEREUSE"] = "1",
        };
    }

    /// <summary>The project directory (holds <c>App.csproj</c>, <c>Program.cs</c> and a NuGet.config naming only the feed).</summary>
    public string Directory { get; }

    /// <summary>The project's NuGet package cache (<c>NUGET_PACKAGES</c>): where restored packages are extracted.</summary>
    public string PackagesDirectory => Environment["NUGET_PACKAGES"];

    /// <summary>The environment of every <c>dotnet</c> run of the project.</summary>
    public Dictionary<string, string> Environment { get; }

    /// <summary>
    /// Packs Dockyard.MSBuild (once per run), writes the project with <paramref name="properties"/> and
    /// <paramref name="items"/> (MSBuild XML) and restores it.
    /// </summary>
    public static async Task<SdkTestProject> CreateAsync(string prefix, string properties = "", string items = "")
    {
        await PackageFeed.EnsurePackedAsync("src/Dockyard.MSBuild/Dockyard.MSBuild.csproj");
        var project = new SdkTestProject(new TempDirectory(prefix));
        PackageFeed.WriteNuGetConfig(project.Directory);
        File.WriteAllText(Path.Combine(project.Directory, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Dockyard.MSBuild" Version="{PackageFeed.PackageVersion}" PrivateAssets="all" />
                {items}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), "System.Console.WriteLine(\"hi\");\n");
        (await project.DotnetAsync("restore")).EnsureSuccess("dotnet restore of the test project");
        return project;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="name"/> in the project directory.</summary>
    public string WriteFile(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs <c>dotnet ARGS -nologo</c> in the project directory.</summary>
    public Task<ProcessResult> DotnetAsync(params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [.. arguments, "-nologo"], timeout: TimeSpan.FromMinutes(8), environment: Environment, workingDirectory: Directory);

    /// <inheritdoc />
    public void Dispose() => _temp.Dispose();
}
