using System.Diagnostics;

namespace Dockyard.Tests.Layers;

/// <summary>Runs a real tool (tar, sha256sum, skopeo…) and returns its output; fails the test on a non-zero exit.</summary>
internal static class Tool
{
    public static string Run(string file, params string[] args) => RunWithInput(file, null, args);

    public static string RunWithInput(string file, string? workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    /// <summary>sha256sum's digest of a file, as <c>sha256:hex</c>.</summary>
    public static string Sha256Sum(string path) => "sha256:" + Run("sha256sum", path).Split(' ')[0];

    /// <summary>Decompresses a layer blob with the real gzip/zstd into <paramref name="target"/>.</summary>
    public static void Decompress(string blob, string target, string tool)
    {
        var text = Run("sh", "-c", $"{tool} -dc '{blob}' > '{target}'");
        Assert.Equal("", text);
    }
}
