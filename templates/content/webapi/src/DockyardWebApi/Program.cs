var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/", () => Results.Ok(new Greeting("DockyardWebApi", "hello from DockyardWebApi")));
app.MapGet("/healthz", () => Results.Text("ok"));

app.Run();

/// <summary>What <c>GET /</c> answers.</summary>
internal sealed record Greeting(string Service, string Message);

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
