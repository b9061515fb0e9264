using Dockyard.Tests.Infrastructure;

namespace Dockyard.Tests.Templates;

/// <summary>
/// The packed <c>Dockyard.Templates</c> installed into a private template hive, with the packages a created service
/// restores (<c>Dockyard.MSBuild</c>, <c>Dockyard.Cake</c>, the <c>dockyard</c> tool) in the run's feed: once per run.
/// </summary>
public sealed class TemplatePack : IAsyncLifetime
{
    private readonly TempDirectory _hive = new("template-hive");

    /// <summary>The environment every <c>dotnet</c> process of these tests gets.</summary>
    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        foreach (var project in new[] { "templates/Dockyard.Templates.csproj", "src/Dockyard.MSBuild/Dockyard.MSBuild.csproj", "src/Dockyard.Cake/Dockyard.Cake.csproj", "src/Dockyard.Cli/Dockyard.Cli.csproj" })
            await PackageFeed.EnsurePackedAsync(project);
        var package = Path.Combine(PackageFeed.Directory, $"Dockyard.Templates.{PackageFeed.PackageVersion}.nupkg");
        (await ProcessRunner.RunAsync("dotnet", ["new", "install", package, "--debug:custom-hive", _hive.Path], timeout: TimeSpan.FromMinutes(3), environment: Environment))
            .EnsureSuccess("dotnet new install");
    }

    /// <summary>Creates <paramref name="template"/> into <paramref name="output"/> with <paramref name="options"/>, and a NuGet.config with the run's feed and the machine's sources.</summary>
    public async Task<ProcessResult> CreateAsync(string template, TempDirectory output, params string[] options)
    {
        var result = await ProcessRunner.RunAsync("dotnet", ["new", template, "-o", output.Path, .. options, "--debug:custom-hive", _hive.Path], timeout: TimeSpan.FromMinutes(3), environment: Environment);
        result.EnsureSuccess($"dotnet new {template}");
        PackageFeed.WriteNuGetConfig(output.Path, keepDefaultSources: true);
        return result;
    }

    /// <summary>Runs <c>dotnet ARGS</c> in <paramref name="directory"/>.</summary>
    public static Task<ProcessResult> DotnetAsync(TempDirectory directory, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", arguments, timeout: TimeSpan.FromMinutes(8), environment: Environment, workingDirectory: directory.Path);

    /// <summary>Runs the repository's <c>dockyard</c> CLI (its build output) in <paramref name="directory"/>.</summary>
    public static Task<ProcessResult> DockyardAsync(string directory, params string[] arguments) =>
        ProcessRunner.RunAsync("dotnet", [CliAssembly.Path, .. arguments], timeout: TimeSpan.FromMinutes(8), environment: Environment, workingDirectory: directory);

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        _hive.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The tests that share one <see cref="TemplatePack"/>.</summary>
[CollectionDefinition(Name)]
public sealed class TemplatePackCollection : ICollectionFixture<TemplatePack>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "template pack";
}
