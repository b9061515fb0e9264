// Layer creation benchmark: Dockyard's one-pass layer writer against `tar | gzip -6` on the same files, a warm run
// (input-cache hit), and peak memory. Usage: dotnet run -c Release -- <source-dir> [--big-file-mib N]
using System.Diagnostics;
using Dockyard.Layers;

var source = args.Length > 0 ? args[0] : throw new ArgumentException("usage: LayerBench <source-dir> [--big-file-mib N]");
var bigMib = args.Length > 2 && args[1] == "--big-file-mib" ? int.Parse(args[2]) : 0;
var work = Path.Combine(Path.GetTempPath(), "dockyard-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
try
{
    if (bigMib > 0)
    {
        // one big, moderately compressible file: the layer grows, memory must not
        source = Path.Combine(work, "big");
        Directory.CreateDirectory(source);
        var random = new Random(42);
        var block = new byte[1 << 20];
        using var file = File.Create(Path.Combine(source, "big.bin"));
        for (var i = 0; i < bigMib; i++)
        {
            random.NextBytes(block.AsSpan(0, block.Length / 2));
            file.Write(block);
        }
    }
    var bytes = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"input: {source}, {bytes / 1048576.0:F1} MiB");

    var tarGzip = Stopwatch.StartNew();
    var shell = Process.Start(new ProcessStartInfo("sh", ["-c", $"tar -cf - -C '{source}' . | gzip -6 > '{work}/ref.tar.gz'"]))!;
    shell.WaitForExit();
    tarGzip.Stop();
    var refSize = new FileInfo(Path.Combine(work, "ref.tar.gz")).Length;

    var cache = new LayerCache(Path.Combine(work, "cache"));
    var cold = Stopwatch.StartNew();
    var layer = new LayerBuilder().AddDirectoryTree(source, "app").Build(cache);
    cold.Stop();
    var warm = Stopwatch.StartNew();
    var again = new LayerBuilder().AddDirectoryTree(source, "app").Build(cache);
    warm.Stop();

    Console.WriteLine($"tar | gzip -6     : {tarGzip.Elapsed.TotalSeconds,7:F2} s  {bytes / 1048576.0 / tarGzip.Elapsed.TotalSeconds,7:F1} MiB/s  {refSize / 1048576.0:F1} MiB");
    Console.WriteLine($"dockyard cold     : {cold.Elapsed.TotalSeconds,7:F2} s  {bytes / 1048576.0 / cold.Elapsed.TotalSeconds,7:F1} MiB/s  {layer.Size / 1048576.0:F1} MiB  ({cold.Elapsed.TotalSeconds / tarGzip.Elapsed.TotalSeconds:P0} of tar|gzip time)");
    Console.WriteLine($"dockyard warm     : {warm.Elapsed.TotalSeconds,7:F2} s  (input-cache hits: {cache.InputHits}, compressions: {cache.Compressions}, same digest: {again.Digest == layer.Digest})");
    Console.WriteLine($"peak working set  : {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MiB");
}
finally
{
    Directory.Delete(work, recursive: true);
}
