using System.Reflection;
using System.Text.RegularExpressions;
using Dockyard.Tests.Infrastructure;
using Xunit;

namespace Dockyard.Tests.MSBuild;

/// <summary>
/// Load isolation (docs/msbuild.md): a second task package, built here from a tiny csproj into the run's feed, whose
/// task parses YAML with another YamlDotNet than Dockyard's, runs in the same build as <c>-t:CiList</c> (which parses
/// <c>.gitlab-ci.yml</c> with Dockyard's) in both orders; both succeed and each ran with its own package's YamlDotNet.
/// </summary>
public sealed class MSBuildLoadIsolationTests
{
    /// <summary>The probe's YamlDotNet: any NuGet version other than Dockyard's (Directory.Packages.props).</summary>
    private const string ProbeYamlDotNet = "13.7.1";

    private const string ProbePackage = "Dockyard.Tests.YamlProbe";

    [Fact]
    public async Task A_task_package_with_another_YamlDotNet_and_CiList_run_in_one_build_in_either_order_each_with_its_own_YamlDotNet()
    {
        using var probeSource = new TempDirectory("yaml-probe");
        await PackProbeAsync(probeSource);
        using var project = await SdkTestProject.CreateAsync("msbuild-isolation",
            items: $"""<PackageReference Include="{ProbePackage}" Version="{PackageFeed.PackageVersion}" PrivateAssets="all" />""");
        project.WriteFile(".gitlab-ci.yml", "build-app:\n  stage: build\n  script: [make]\ntest-app:\n  script: [make test]\n");
        var dockyardYaml = TaskAssembly(project, "dockyard.msbuild", "YamlDotNet.dll");
        var probeYaml = TaskAssembly(project, ProbePackage.ToLowerInvariant(), "YamlDotNet.dll");
        Assert.NotEqual(AssemblyName.GetAssemblyName(dockyardYaml).Version, AssemblyName.GetAssemblyName(probeYaml).Version);

        foreach (var targets in new[] { "YamlProbe;CiList", "CiList;YamlProbe" })
        {
            var build = await project.DotnetAsync("build", "--no-restore", $"-t:{targets}", "-v:detailed");
            var output = build.StandardOutput + build.StandardError;
            Assert.True(build.ExitCode == 0, $"-t:{targets}\n{output}");

            Assert.Matches(@"build-app\s+build\s+on_success", output);
            Assert.Matches(@"test-app\s+test\s+on_success", output);
            var probe = Regex.Match(output, @"YamlProbe: YamlDotNet version (?<version>\S+) from (?<path>\S+) in process (?<pid>\d+): build-app,test-app");
            Assert.True(probe.Success, $"-t:{targets}: no probe line\n{output}");
            Assert.Equal(AssemblyName.GetAssemblyName(probeYaml).Version!.ToString(), probe.Groups["version"].Value);
            Assert.Equal(probeYaml, probe.Groups["path"].Value);
            var dockyard = Regex.Match(output, @"Dockyard\.MSBuild loaded from (?<directory>\S+) in process (?<pid>\d+): .*\bYamlDotNet (?<version>[\d.]+)");
            Assert.True(dockyard.Success, $"-t:{targets}: no Dockyard load line\n{output}");
            Assert.Equal(AssemblyName.GetAssemblyName(dockyardYaml).Version!.ToString(), dockyard.Groups["version"].Value);
            Assert.Equal(Path.GetDirectoryName(dockyardYaml), dockyard.Groups["directory"].Value);
            Assert.NotEqual(probe.Groups["pid"].Value, dockyard.Groups["pid"].Value);
        }
    }

    /// <summary>The file <paramref name="name"/> of <paramref name="packageId"/>'s <c>tasks/net10.0</c> as the project's restore extracted it.</summary>
    private static string TaskAssembly(SdkTestProject project, string packageId, string name)
    {
        var path = Path.Combine(project.PackagesDirectory, packageId, PackageFeed.PackageVersion, "tasks", "net10.0", name);
        Assert.True(File.Exists(path), $"{path} is not in the restored package");
        return path;
    }

    /// <summary>
    /// Packs the probe: one in-process task that parses a YAML file with YamlDotNet <see cref="ProbeYamlDotNet"/> and
    /// logs the version, file and process it ran with, packed as Dockyard.MSBuild is (tasks/net10.0/ + build/ targets).
    /// </summary>
    private static async Task PackProbeAsync(TempDirectory source)
    {
        source.WriteFile($"{ProbePackage}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <AssemblyName>YamlProbe</AssemblyName>
                <PackageId>{ProbePackage}</PackageId>
                <CopyLocalLockFileAssemblies>true</CopyLocalLockFileAssemblies>
                <IncludeBuildOutput>false</IncludeBuildOutput>
                <DevelopmentDependency>true</DevelopmentDependency>
                <SuppressDependenciesWhenPacking>true</SuppressDependenciesWhenPacking>
                <NoWarn>$(NoWarn);NU5100;NU5128</NoWarn>
                <TargetsForTfmSpecificContentInPackage>$(TargetsForTfmSpecificContentInPackage);PackProbeTask</TargetsForTfmSpecificContentInPackage>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.Build.Utilities.Core" Version="18.9.6" PrivateAssets="all" ExcludeAssets="runtime" />
                <PackageReference Include="YamlDotNet" Version="{ProbeYamlDotNet}" PrivateAssets="all" />
                <None Include="build/**" Pack="true" PackagePath="build/" />
              </ItemGroup>
              <Target Name="PackProbeTask" DependsOnTargets="ResolveReferences">
                <ItemGroup>
                  <TfmSpecificPackageFile Include="$(TargetPath)" PackagePath="tasks/$(TargetFramework)/" />
                  <TfmSpecificPackageFile Include="@(ReferenceCopyLocalPaths)" Condition="'%(ReferenceCopyLocalPaths.Extension)' == '.dll'" PackagePath="tasks/$(TargetFramework)/" />
                </ItemGroup>
              </Target>
            </Project>
            """);
        source.WriteFile($"build/{ProbePackage}.targets", """
            <Project>
              <UsingTask TaskName="YamlProbe.ParseYaml" AssemblyFile="$(MSBuildThisFileDirectory)../tasks/net10.0/YamlProbe.dll" />
              <Target Name="YamlProbe">
                <ParseYaml File="$(MSBuildProjectDirectory)/.gitlab-ci.yml" />
              </Target>
            </Project>
            """);
        source.WriteFile("ParseYaml.cs", """
            using System;
            using System.IO;
            using System.Linq;
            using Microsoft.Build.Framework;
            using YamlDotNet.RepresentationModel;

            namespace YamlProbe;

            public sealed class ParseYaml : Microsoft.Build.Utilities.Task
            {
                [Required] public string File { get; set; } = "";

                public override bool Execute()
                {
                    var yaml = new YamlStream();
                    using (var reader = new StreamReader(File)) yaml.Load(reader);
                    var keys = ((YamlMappingNode)yaml.Documents[0].RootNode).Children.Keys.Select(k => ((YamlScalarNode)k).Value);
                    var assembly = typeof(YamlStream).Assembly;
                    Log.LogMessage(MessageImportance.High, "YamlProbe: YamlDotNet version {0} from {1} in process {2}: {3}",
                        assembly.GetName().Version, assembly.Location, Environment.ProcessId, string.Join(",", keys));
                    return true;
                }
            }
            """);
        // The machine's NuGet sources and cache: the probe needs YamlDotNet and Microsoft.Build.Utilities.Core from them.
        (await ProcessRunner.RunAsync("dotnet", ["pack", source.Path, "-c", "Release", "-o", PackageFeed.Directory, $"-p:Version={PackageFeed.PackageVersion}", "-nologo"],
            timeout: TimeSpan.FromMinutes(8), environment: new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" }))
            .EnsureSuccess("dotnet pack of the YAML probe task package");
    }
}
