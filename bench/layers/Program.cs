// Layer creation benchmark, one run, same input for every row: Dockyard gzip vs `tar | pigz -6` vs `tar | gzip -6`,
// Dockyard zstd vs `tar | zstd -3 -T0`, a warm run (input-cache hit) and Dockyard's peak resident memory per row.
// Usage: dotnet run -c Release -- <source-dir> [--block-sizes]
//        dotnet run -c Release -- x --big-file-mib N [--block-sizes]   (generates one N MiB moderately compressible file)
// --repeat N runs every row N times, interleaved, and keeps each row's fastest run (the machine is shared).
// --block-sizes adds the ratio of Dockyard's block-parallel gzip per block size (the choice of its 1 MiB blocks).
using System.Diagnostics;
using System.IO.Compression;
using Dockyard.Layers;

var source = args.Length > 0 ? args[0] : throw new ArgumentException("usage: LayerBench <source-dir> | x --big-file-mib N [--block-sizes]");
var bigIndex = Array.IndexOf(args, "--big-file-mib");
var bigMib = bigIndex >= 0 ? int.Parse(args[bigIndex + 1]) : 0;
var blockSizes = args.Contains("--block-sizes");
var repeatIndex = Array.IndexOf(args, "--repeat");
var repeats = repeatIndex >= 0 ? int.Parse(args[repeatIndex + 1]) : 1;
var work = Path.Combine(Path.GetTempPath(), "dockyard-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(work);
try
{
    if (bigMib > 0)
    {
        source = Path.Combine(work, "big");
        Directory.CreateDirectory(source);
        BenchInput.Write(Path.Combine(source, "big.bin"), bigMib);
    }
    var bytes = Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"input: {source}, {bytes / 1048576.0:F1} MiB, {Environment.ProcessorCount} cores, Dockyard degree {LayerBlobWriter.DefaultDegreeOfParallelism}");
    Shell($"tar -cf - -C '{source}' . > /dev/null"); // warm the page cache for every row alike

    LayerCache gzipCache = null!;
    Layer gzipLayer = null!;
    Func<Row>[] measures =
    [
        () => Tool("tar | pigz -6", "pigz -6", "gz"),
        () => Tool("tar | gzip -6", "gzip -6", "gz"),
        () => Dockyard("dockyard gzip", LayerCompression.Gzip, out gzipCache, out gzipLayer),
        () => Tool("tar | zstd -3 -T0", "zstd -3 -T0 -q", "zst"),
        () => Dockyard("dockyard zstd", LayerCompression.Zstd, out _, out _),
    ];
    var rows = new Row[measures.Length];
    for (var round = 0; round < repeats; round++)
        for (var i = 0; i < measures.Length; i++)
        {
            var row = measures[i]();
            var peak = row.PeakRssMib is { } rss ? Math.Max(rss, rows[i]?.PeakRssMib ?? 0) : (double?)null; // the highest of all rounds
            if (rows[i] is null || row.Seconds < rows[i].Seconds) rows[i] = row with { PeakRssMib = peak };
            else rows[i] = rows[i] with { PeakRssMib = peak };
        }
    var gzip = rows[2];

    var diffSize = gzipLayer.DiffSize;
    Console.WriteLine($"tar stream: {diffSize / 1048576.0:F1} MiB (ratio = compressed / tar)");
    Console.WriteLine($"best of {repeats}; cpu = user + sys seconds of the whole pipeline (tar included); load average at the end: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    Console.WriteLine($"{"",-18} {"time",9} {"MiB/s",8} {"cpu",8} {"MiB/cpu-s",10} {"size MiB",9} {"ratio",7} {"peak RSS",9}");
    foreach (var row in rows)
        Console.WriteLine($"{row.Name,-18} {row.Seconds,7:F2} s {diffSize / 1048576.0 / row.Seconds,8:F1} {row.CpuSeconds,6:F1} s {diffSize / 1048576.0 / row.CpuSeconds,10:F1} {row.Size / 1048576.0,9:F1} {(double)row.Size / diffSize,7:P1} {(row.PeakRssMib is { } rss ? $"{rss:F0} MiB" : ""),9}");
    var pigz = rows[0];
    Console.WriteLine($"dockyard gzip vs pigz -6: {pigz.Seconds / gzip.Seconds:F2}x throughput, {(double)gzip.Size / pigz.Size:P2} of its size");
    var zstdTool = rows[3];
    Console.WriteLine($"dockyard zstd vs zstd -3 -T0: {zstdTool.Seconds / rows[4].Seconds:F2}x throughput, {(double)rows[4].Size / zstdTool.Size:P2} of its size");

    var warm = Stopwatch.StartNew();
    var again = new LayerBuilder().AddDirectoryTree(source, "app").Build(gzipCache);
    warm.Stop();
    Console.WriteLine($"dockyard warm      : {warm.Elapsed.TotalSeconds,7:F2} s  (input-cache hits: {gzipCache.InputHits}, compressions: {gzipCache.Compressions}, same digest: {again.Digest == gzipLayer.Digest})");

    if (blockSizes) BlockSizeTable(source, diffSize);
}
finally
{
    Directory.Delete(work, recursive: true);
}

Row Tool(string name, string compressor, string extension)
{
    var output = Path.Combine(work, "ref." + extension);
    var watch = Stopwatch.StartNew();
    // bash's `times` prints the shell's children's user and sys time on its second line
    var times = Capture($"set -e; tar -cf - -C '{source}' . | {compressor} > '{output}'; times").Split('\n')[^1].Split(' ');
    watch.Stop();
    var size = new FileInfo(output).Length;
    File.Delete(output);
    return new Row(name, watch.Elapsed.TotalSeconds, TimesSeconds(times[0]) + TimesSeconds(times[1]), size, null);
}

Row Dockyard(string name, LayerCompression compression, out LayerCache cache, out Layer layer)
{
    var root = Path.Combine(work, "cache-" + compression);
    if (Directory.Exists(root)) Directory.Delete(root, recursive: true); // a cold run every round
    cache = new LayerCache(root);
    PeakRss.Reset();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    layer = new LayerBuilder().AddDirectoryTree(source, "app").Build(cache, compression);
    watch.Stop();
    var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    return new Row(name, watch.Elapsed.TotalSeconds, cpuSeconds, layer.Size, PeakRss.ReadMib());
}

void BlockSizeTable(string dir, long diffSize)
{
    var tar = Path.Combine(work, "layer.tar");
    Shell($"tar -cf '{tar}' -C '{dir}' .");
    Console.WriteLine($"block size vs ratio (gzip 6, {LayerBlobWriter.DefaultDegreeOfParallelism} cores), tar {new FileInfo(tar).Length / 1048576.0:F1} MiB:");
    long Measure(Func<Stream, Stream> open)
    {
        var sink = new CountingSink();
        using (var compressor = open(sink))
        using (var input = File.OpenRead(tar))
            input.CopyTo(compressor, 1 << 16);
        return sink.Count;
    }
    var single = Measure(s => new GZipStream(s, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true));
    var pigz = long.Parse(Capture($"pigz -6 -c '{tar}' | wc -c"));
    var pigzIndependent = long.Parse(Capture($"pigz -6 -i -c '{tar}' | wc -c"));
    Console.WriteLine($"  one stream (GZipStream) : {single / 1048576.0,9:F2} MiB");
    Console.WriteLine($"  pigz -6 (128K, primed)  : {pigz / 1048576.0,9:F2} MiB");
    Console.WriteLine($"  pigz -6 -i (128K, not)  : {pigzIndependent / 1048576.0,9:F2} MiB");
    foreach (var kib in new[] { 128, 256, 512, 1024, 2048, 4096 })
    {
        var size = Measure(s => new ParallelGzipStream(s, 6, LayerBlobWriter.DefaultDegreeOfParallelism, kib * 1024));
        Console.WriteLine($"  blocks of {kib,4} KiB      : {size / 1048576.0,9:F2} MiB  ({(double)size / single - 1:+0.00%;-0.00%} vs one stream, {(double)size / pigz - 1:+0.00%;-0.00%} vs pigz -6)");
    }
}

static double Shell(string command)
{
    var watch = Stopwatch.StartNew();
    using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", "set -e; " + command]))!;
    shell.WaitForExit();
    if (shell.ExitCode != 0) throw new InvalidOperationException($"'{command}' exited {shell.ExitCode}");
    return watch.Elapsed.TotalSeconds;
}

static double TimesSeconds(string text) // "1m2.345s"
{
    var minutes = text.IndexOf('m');
    return int.Parse(text[..minutes]) * 60 + double.Parse(text[(minutes + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
}

static string Capture(string command)
{
    using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true })!;
    var text = shell.StandardOutput.ReadToEnd().Trim();
    shell.WaitForExit();
    return text;
}

internal sealed record Row(string Name, double Seconds, double CpuSeconds, long Size, double? PeakRssMib);

/// <summary>Peak resident set (VmHWM) of this process; Linux can reset it through /proc/self/clear_refs.</summary>
internal static class PeakRss
{
    public static void Reset()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    public static double ReadMib()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) / 1024.0;
    }
}

/// <summary>The bench input: one file of text-like tokens (a skewed 8192-word vocabulary) with a quarter of its 64 KiB chunks random, ~50 % gzip ratio.</summary>
internal static class BenchInput
{
    public static void Write(string path, int mib)
    {
        var random = new Random(42);
        var vocabulary = Enumerable.Range(0, 8192).Select(_ =>
        {
            var word = new byte[random.Next(2, 12)];
            for (var i = 0; i < word.Length; i++) word[i] = (byte)('a' + random.Next(26));
            return word;
        }).ToArray();
        var chunk = new byte[1 << 16];
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        for (long written = 0; written < (long)mib << 20; written += chunk.Length)
        {
            if (random.Next(4) == 0)
            {
                random.NextBytes(chunk);
            }
            else
            {
                var at = 0;
                while (at < chunk.Length)
                {
                    var r = random.NextDouble();
                    var word = vocabulary[(int)(vocabulary.Length * r * r * r)];
                    var take = Math.Min(word.Length, chunk.Length - at);
                    word.AsSpan(0, take).CopyTo(chunk.AsSpan(at));
                    at += take;
                    if (at < chunk.Length) chunk[at++] = random.Next(12) == 0 ? (byte)'\n' : (byte)' ';
                }
            }
            file.Write(chunk);
        }
    }
}

/// <summary>A write-only stream that only counts bytes.</summary>
internal sealed class CountingSink : Stream
{
    public long Count { get; private set; }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => Count;
    public override long Position { get => Count; set => throw new NotSupportedException(); }
    public override void Write(byte[] buffer, int offset, int count) => Count += count;
    public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
