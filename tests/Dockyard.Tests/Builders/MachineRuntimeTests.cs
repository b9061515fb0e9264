using Dockyard.Builders.MachineRuntime;

namespace Dockyard.Tests.Builders;

/// <summary>Which FROM names the machine's runtime may stand in for, and how ldd's output is read.</summary>
public class MachineRuntimeTests
{
    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:10.0", "AspNet", "10.0", "")]
    [InlineData("mcr.microsoft.com/dotnet/runtime:10.0.3", "Runtime", "10.0.3", "")]
    [InlineData("mcr.microsoft.com/dotnet/runtime-deps:9.0-noble-chiseled", "RuntimeDeps", "9.0", "noble-chiseled")]
    public void Microsofts_runtime_images_with_a_version_tag_are_recognised(string reference, string flavor, string version, string variant)
    {
        var name = DotnetBaseImageName.TryParse(reference);
        Assert.NotNull(name);
        Assert.Equal(flavor, name.Flavor.ToString());
        Assert.Equal(version, name.Version);
        Assert.Equal(variant, name.Variant);
    }

    [Theory]
    [InlineData("mcr.microsoft.com/dotnet/sdk:10.0")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet:latest")]
    [InlineData("mcr.microsoft.com/dotnet/aspnet@sha256:0123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("example.com/dotnet/aspnet:10.0")]
    [InlineData("mcr.microsoft.com/dotnet/nightly/aspnet:10.0")]
    public void Other_images_are_not(string reference) => Assert.Null(DotnetBaseImageName.TryParse(reference));

    [Theory]
    [InlineData("10.0", "10.0.12", true)]
    [InlineData("10.0.12", "10.0.12", true)]
    [InlineData("10.0.3", "10.0.12", false)]
    [InlineData("9.0", "10.0.12", false)]
    [InlineData("10.0", "10.0.0-rc.2.25502.107", true)]
    public void A_runtime_serves_a_tag_of_its_major_minor_or_its_exact_version(string tag, string runtime, bool served) =>
        Assert.Equal(served, DotnetBaseImageName.TryParse($"mcr.microsoft.com/dotnet/runtime:{tag}")!.IsServedBy(runtime));

    [Fact]
    public void Ldd_output_gives_resolved_paths_and_the_loader_but_not_missing_libraries_or_headers()
    {
        const string output = """
            /usr/share/dotnet/dotnet:
            	linux-vdso.so.1 (0x00007ffd)
            	libstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f30)
            	liblttng-ust.so.1 => not found
            	/lib64/ld-linux-x86-64.so.2 (0x00007f30)
            """;
        Assert.Equal(["/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib64/ld-linux-x86-64.so.2"], SharedLibraryClosure.Parse(output));
    }
}
