using System.Diagnostics;
using Dockyard.Bench;
using Dockyard.Tests.Infrastructure;

// Copies one multi-layer image (random, incompressible layers) with `dockyard image copy` and `skopeo copy`,
// (1) between two repositories of one registry and (2) between two registries, each in a fresh destination,
// and prints wall time and bytes sent to the destination (counted on the wire by a TCP relay).
var layers = Arg("--layers", 3);
var layerMiB = Arg("--layer-mib", 16);
var rounds = Arg("--rounds", 3);
var dockyardDll = Path.Combine(AppContext.BaseDirectory, "dockyard.dll");

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at start.");
Console.WriteLine($"Image: busybox layer + text layer + {layers} random layers x {layerMiB} MiB; {rounds} rounds; median wall time.");
var image = TestImages.Create("bench", randomLayerBytes: layerMiB << 20, randomLayers: layers);
var total = image.Blobs.Sum(b => b.Descriptor.Size);
Console.WriteLine($"Image size: {total / 1048576.0:0.0} MiB in {image.Blobs.Count} blobs, manifest {image.Manifest.Digest}");

await using var source = await RegistryServer.StartAsync();
await TestImages.PushWithSkopeoAsync(image, source, "bench/src:1");
await using var sourceRelay = new TcpRelay(new Uri($"http://{source.Host}").Port);

var results = new List<(string Scenario, string Tool, double Seconds, long Sent)>();
for (var round = 0; round < rounds; round++)
{
    foreach (var tool in new[] { "dockyard", "dockyard-warm", "skopeo" })
    {
        // Same registry: a new repository each round (mount possible).
        sourceRelay.Reset();
        var sameRepo = $"bench/{tool}-{round}";
        var seconds = await Copy(tool, $"{sourceRelay.Host}/bench/src:1", $"{sourceRelay.Host}/{sameRepo}:1");
        results.Add(("same registry", tool, seconds, sourceRelay.BytesSent));

        // Another registry: fresh each round so nothing is there yet.
        await using var destination = await RegistryServer.StartAsync();
        await using var relay = new TcpRelay(new Uri($"http://{destination.Host}").Port);
        seconds = await Copy(tool, $"{source.Host}/bench/src:1", $"{relay.Host}/bench/copy:1");
        results.Add(("two registries", tool, seconds, relay.BytesSent));
    }
}

Console.WriteLine();
Console.WriteLine($"{"scenario",-16} {"tool",-9} {"median s",9} {"min s",7} {"MiB sent",9}");
foreach (var group in results.GroupBy(r => (r.Scenario, r.Tool)))
{
    var times = group.Select(r => r.Seconds).Order().ToList();
    Console.WriteLine($"{group.Key.Scenario,-16} {group.Key.Tool,-9} {times[times.Count / 2],9:0.000} {times[0],7:0.000} {group.Average(r => r.Sent) / 1048576.0,9:0.00}");
}
foreach (var scenario in results.Select(r => r.Scenario).Distinct())
{
    double Median(string tool) { var t = results.Where(r => r.Scenario == scenario && r.Tool == tool).Select(r => r.Seconds).Order().ToList(); return t[t.Count / 2]; }
    double Sent(string tool) => results.Where(r => r.Scenario == scenario && r.Tool == tool).Average(r => r.Sent);
    Console.WriteLine($"{scenario}: dockyard/skopeo time ratio {Median("dockyard") / Median("skopeo"):0.00} (warm in-process {Median("dockyard-warm") / Median("skopeo"):0.00}), bytes ratio {Sent("dockyard") / Math.Max(1, Sent("skopeo")):0.00}");
}

async Task<double> Copy(string tool, string from, string to)
{
    if (tool == "dockyard-warm")
    {
        // The same copy in this (already warm) process: protocol cost without process start-up and JIT.
        using var client = new Dockyard.Registries.RegistryClient(new Dockyard.Credentials.ExplicitCredentialProvider());
        var watch = Stopwatch.StartNew();
        await new Dockyard.Registries.Transfer.ImageCopier(client).CopyAsync(
            Dockyard.Registries.References.ImageReference.Parse(from), Dockyard.Registries.References.ImageReference.Parse(to));
        return watch.Elapsed.TotalSeconds;
    }
    using var home = new TempDirectory("bench-home"); // no skopeo blob-info cache carried between runs
    var environment = new Dictionary<string, string> { ["HOME"] = home.Path, ["XDG_DATA_HOME"] = home.Path, ["XDG_CONFIG_HOME"] = home.Path };
    var stopwatch = Stopwatch.StartNew();
    var result = tool == "dockyard"
        ? await ProcessRunner.RunAsync("dotnet", [dockyardDll, "image", "copy", from, to, "--quiet"], environment: environment)
        : await ProcessRunner.RunAsync("skopeo", ["copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false", $"docker://{from}", $"docker://{to}"], environment: environment);
    stopwatch.Stop();
    result.EnsureSuccess($"{tool} copy {from} {to}");
    return stopwatch.Elapsed.TotalSeconds;
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
}
