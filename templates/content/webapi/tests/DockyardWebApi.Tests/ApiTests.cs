using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DockyardWebApi.Tests;

public sealed class ApiTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Root_answers_with_the_service_greeting()
    {
        using var client = factory.CreateClient();

        var response = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("hello from DockyardWebApi", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Health_endpoint_says_ok()
    {
        using var client = factory.CreateClient();

        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
    }
}
