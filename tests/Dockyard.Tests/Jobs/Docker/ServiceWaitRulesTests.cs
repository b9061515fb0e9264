using Dockyard.Diagnostics;
using Dockyard.Jobs.Docker;

namespace Dockyard.Tests.Jobs.Docker;

/// <summary>Which ports the docker executor waits for after starting a service, and for how long (the runner's rules).</summary>
public class ServiceWaitRulesTests
{
    [Fact]
    public void Exposed_tcp_ports_are_waited_for_lowest_first_and_udp_ones_are_not()
    {
        var ports = ServicePorts.Of("svc", ["PATH=/bin"], ["6379/tcp", "53/udp", "80", "443/tcp"]);
        Assert.Equal([80, 443, 6379], ports);
    }

    [Fact]
    public void At_most_twenty_exposed_ports_are_waited_for()
    {
        var ports = ServicePorts.Of("svc", [], Enumerable.Range(9000, 30).Reverse().Select(p => $"{p}/tcp"));
        Assert.Equal(Enumerable.Range(9000, ServicePorts.MaxExposed), ports);
    }

    [Fact]
    public void HEALTHCHECK_TCP_PORT_in_any_case_replaces_the_exposed_ports()
    {
        Assert.Equal([2376], ServicePorts.Of("docker:dind", ["A=1", "healthcheck_tcp_port=2376"], ["2375/tcp", "2376/tcp"]));
        Assert.Equal([8080], ServicePorts.Of("svc", ["HEALTHCHECK_TCP_PORT=8080"], null));
    }

    [Fact]
    public void No_exposed_port_and_no_HEALTHCHECK_TCP_PORT_means_no_wait()
    {
        Assert.Empty(ServicePorts.Of("svc", ["HEALTHCHECK_TCP_PORTS=1"], null));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("70000")]
    [InlineData("")]
    public void A_HEALTHCHECK_TCP_PORT_that_is_no_port_is_an_error_naming_the_service(string value)
    {
        var error = Assert.Throws<DockyardException>(() => ServicePorts.Of("postgres:17", [$"HEALTHCHECK_TCP_PORT={value}"], ["5432/tcp"]));
        Assert.Contains($"service postgres:17: HEALTHCHECK_TCP_PORT '{value}' is not a TCP port", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 30.0)]
    [InlineData("", 30.0)]
    [InlineData("0", 30.0)]
    [InlineData("90", 90.0)]
    [InlineData(" 5 ", 5.0)]
    [InlineData("-1", null)]
    public void The_timeout_is_the_runners_default_unless_DOCKER_WAIT_FOR_SERVICES_TIMEOUT_says_otherwise(string? value, double? seconds)
    {
        var environment = new Dictionary<string, string>();
        if (value is not null) environment[ServiceWaitTimeout.Variable] = value;
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, ServiceWaitTimeout.Read(environment));
    }

    [Fact]
    public void A_timeout_that_is_no_number_is_an_error_naming_the_variable()
    {
        var error = Assert.Throws<DockyardException>(() => ServiceWaitTimeout.Read(new Dictionary<string, string> { [ServiceWaitTimeout.Variable] = "30s" }));
        Assert.Contains("DOCKER_WAIT_FOR_SERVICES_TIMEOUT '30s' is not a number of seconds", error.Message, StringComparison.Ordinal);
    }
}
