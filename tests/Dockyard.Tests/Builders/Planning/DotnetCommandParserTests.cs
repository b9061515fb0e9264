using Dockyard.Builders.Planning;

namespace Dockyard.Tests.Builders.Planning;

public class DotnetCommandParserTests
{
    private static DotnetCommand Parse(string line) => DotnetCommandParser.TryParse(line.Split(' '))!;

    [Fact]
    public void Publish_with_short_options_and_properties()
    {
        var command = Parse("dotnet publish ./WebApp.csproj -c Release -o /app/publish /p:UseAppHost=false -p:Version=1.2;InvariantGlobalization=true");
        Assert.Equal("publish", command.Verb);
        Assert.Equal("./WebApp.csproj", command.Project);
        Assert.Equal("Release", command.Configuration);
        Assert.Equal("/app/publish", command.Output);
        Assert.True(command.ProducesOutputDirectory);
        Assert.Equal(new Dictionary<string, string> { ["UseAppHost"] = "false", ["Version"] = "1.2", ["InvariantGlobalization"] = "true" }, command.Properties);
    }

    [Fact]
    public void Long_options_equals_forms_runtime_and_self_contained()
    {
        var command = Parse("dotnet publish src/Api --configuration=Debug --output /out --runtime linux-musl-x64 --self-contained false -f net8.0 --property:A=B");
        Assert.Equal("src/Api", command.Project);
        Assert.Equal("Debug", command.Configuration);
        Assert.Equal("/out", command.Output);
        Assert.Equal("linux-musl-x64", command.Runtime);
        Assert.False(command.SelfContained);
        Assert.Equal("net8.0", command.Framework);
        Assert.Equal("B", command.Properties["A"]);
        Assert.True(Parse("dotnet publish --sc -o /x").SelfContained);
        Assert.False(Parse("dotnet publish --no-self-contained -o /x").SelfContained);
    }

    [Fact]
    public void Value_options_do_not_become_the_project()
    {
        var command = Parse("dotnet publish -a arm64 --no-restore -v minimal -o /app");
        Assert.Null(command.Project);
        Assert.Equal("Release", command.EffectiveConfiguration);
        Assert.Equal("Debug", Parse("dotnet build -o /b").EffectiveConfiguration);
        Assert.False(Parse("dotnet build App.csproj").ProducesOutputDirectory);
    }

    [Theory]
    [InlineData("npm ci")]
    [InlineData("dotnet")]
    [InlineData("dotnet --info")]
    public void Not_a_dotnet_verb(string line) => Assert.Null(DotnetCommandParser.TryParse(line.Split(' ')));
}
