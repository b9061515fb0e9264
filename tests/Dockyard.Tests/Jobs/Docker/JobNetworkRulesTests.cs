using Dockyard.Diagnostics;
using Dockyard.Jobs.Docker;

namespace Dockyard.Tests.Jobs.Docker;

/// <summary>The per-job network's name and FF_NETWORK_PER_BUILD, the runner's feature flag that turns it off.</summary>
public sealed class JobNetworkRulesTests
{
    [Fact]
    public void Network_name_carries_the_job_and_is_new_for_every_attempt()
    {
        var first = ContainerNames.Network("test: unit/api");
        var second = ContainerNames.Network("test: unit/api");
        Assert.Matches("^dockyard-net-test--unit-api-[0-9a-f]{32}$", first);
        Assert.NotEqual(first, second);
        Assert.Matches("^dockyard-net-a-very-long-job-name-[0-9a-f]{32}$", ContainerNames.Network("a very long job name that goes on"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData("T", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("FALSE", false)]
    [InlineData("f", false)]
    public void FF_NETWORK_PER_BUILD_absent_or_true_gives_a_network_and_false_the_host_network(string? value, bool expected)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (value is not null) variables[NetworkPerBuild.Variable] = value;
        Assert.Equal(expected, NetworkPerBuild.Read(variables, "job"));
    }

    [Fact]
    public void FF_NETWORK_PER_BUILD_that_is_no_boolean_fails_naming_the_job_and_the_variable()
    {
        var error = Assert.Throws<DockyardException>(() => NetworkPerBuild.Read(new Dictionary<string, string> { [NetworkPerBuild.Variable] = "yes" }, "web"));
        Assert.Equal("job web: FF_NETWORK_PER_BUILD 'yes' is not true or false. Set it to false to run the job's containers on the host network, or remove it.", error.Message);
    }
}
