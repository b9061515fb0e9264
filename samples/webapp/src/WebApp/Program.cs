using System.Reflection;

// `WebApp --version` prints the version and exits (the pipeline's smoke job runs the image with it).
var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
if (args.Contains("--version"))
{
    Console.WriteLine($"WebApp {version}");
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddOpenApi();
var app = builder.Build();
app.MapOpenApi();
app.MapGet("/", () => Results.Ok(new { service = "webapp", version }));
app.MapGet("/healthz", () => Results.Text("ok"));
app.Run();
